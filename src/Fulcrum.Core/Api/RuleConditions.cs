using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// One condition of a rule: <see cref="Type"/> picks what of the request is compared (header, cookie and query
/// conditions also name it), <see cref="Match"/> how (exact unless given), and <see cref="Invert"/> turns "matches"
/// into "does not match" — a header, cookie or parameter that is absent does not match. Method and source conditions
/// compare exactly: a method token, and the client's address with a CIDR block. Host values compare without case.
/// Values are compared as sent, not percent-decoded.
/// </summary>
public sealed record RuleCondition(ConditionType? Type, string? Name, ValueMatch? Match, string? Value, bool? Invert)
{
    public const int MaxValueLength = 256;

    public RuleCondition Normalize(ValidationErrors errors, string path)
    {
        var type = Grammar.Required(errors, $"{path}.type", Type);
        var named = type is ConditionType.Header or ConditionType.Cookie or ConditionType.Query;
        var name = named ? Grammar.HttpToken(errors, $"{path}.name", Name, required: true) : null;
        if (!named && Name is not null)
        {
            errors.Add($"{path}.name", "is only used by header, cookie and query conditions.");
        }

        var match = Match ?? ValueMatch.Exact;
        if (type is ConditionType.Method or ConditionType.Source && match is not ValueMatch.Exact)
        {
            errors.Add($"{path}.match", $"must be exact for a {(type is ConditionType.Method ? "method" : "source")} condition.");
        }

        var value = type is null ? null : CheckValue(errors, $"{path}.value", type.Value, match);
        return new(type, name, match, value, Invert ?? false);
    }

    private string? CheckValue(ValidationErrors errors, string path, ConditionType type, ValueMatch match)
    {
        if (string.IsNullOrEmpty(Value))
        {
            errors.Add(path, "is required.");
            return null;
        }

        if (match is ValueMatch.Regex)
        {
            return SafeRegex.Check(errors, path, Value);
        }

        switch (type)
        {
            case ConditionType.Host when match is ValueMatch.Exact:
                return Grammar.Hostname(errors, path, Value, required: true);
            case ConditionType.Host:
                return HostPart(errors, path, Value);
            case ConditionType.Path when match is ValueMatch.Exact or ValueMatch.Prefix:
                return Grammar.UrlPath(errors, path, Value, required: true);
            case ConditionType.Path:
                return PathPart(errors, path, Value);
            case ConditionType.Method:
                return Grammar.HttpToken(errors, path, Value, required: true);
            case ConditionType.Source:
                return Grammar.Cidr(errors, path, Value)?.ToString();
            default:
                return Grammar.HeaderValue(errors, path, Value, MaxValueLength, allowQuotes: false);
        }
    }

    /// <summary>A piece of a host name for prefix, suffix and contains: letters, digits, '-' and '.', in lower case.</summary>
    private static string? HostPart(ValidationErrors errors, string path, string value)
    {
        if (value.Length <= Grammar.MaxHostnameLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            return value.ToLowerInvariant();
        }

        errors.Add(path, "must be part of a host name: letters, digits, '-' and '.'.");
        return null;
    }

    /// <summary>A piece of a URL path for suffix and contains: what may follow a '/' in a path.</summary>
    private static string? PathPart(ValidationErrors errors, string path, string value)
    {
        if (value.Length <= Grammar.MaxPathLength && Grammar.IsUrlPath(value[0] == '/' ? value : "/" + value, allowQuery: false)
            && !value.StartsWith("//", StringComparison.Ordinal))
        {
            return value;
        }

        errors.Add(path, "must be part of a URL path using only characters allowed by RFC 3986 (no query).");
        return null;
    }
}

/// <summary>
/// Sets, adds or removes one header. Set replaces every header of the name, add appends one more, remove deletes
/// them all (and takes no value). Headers that frame the message or the connection cannot be changed.
/// </summary>
public sealed record HeaderChange(HeaderOperation? Op, string? Name, string? Value)
{
    public const int MaxChanges = 16;
    public const int MaxValueLength = 1024;

    /// <summary>Changing these would let a rule break HTTP framing (request smuggling) or the connection.</summary>
    public static readonly string[] Reserved =
        ["content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade"];

    public static List<HeaderChange>? NormalizeAll(ValidationErrors errors, string path, IReadOnlyList<HeaderChange>? changes)
    {
        if (changes is not { Count: > 0 })
        {
            return null;
        }

        if (changes.Count > MaxChanges)
        {
            errors.Add(path, $"must hold at most {MaxChanges} changes.");
            return null;
        }

        var normalized = new List<HeaderChange>();
        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i] is not { } change)
            {
                errors.Add($"{path}[{i}]", "must be an object with an op and a name.");
                continue;
            }

            normalized.Add(change.Normalize(errors, $"{path}[{i}]"));
        }

        return normalized;
    }

    public HeaderChange Normalize(ValidationErrors errors, string path)
    {
        var op = Grammar.Required(errors, $"{path}.op", Op);
        var name = Grammar.HttpToken(errors, $"{path}.name", Name, required: true);
        if (name is not null && Reserved.Contains(name.ToLowerInvariant()))
        {
            errors.Add($"{path}.name", $"cannot be one of {string.Join(", ", Reserved)}.");
        }

        string? value = null;
        if (op is HeaderOperation.Remove)
        {
            if (Value is not null)
            {
                errors.Add($"{path}.value", "is not used by remove.");
            }
        }
        else
        {
            value = Grammar.HeaderValue(errors, $"{path}.value", Value, MaxValueLength, allowQuotes: true);
        }

        return new(op, name, value);
    }
}

/// <summary>The whole-URL and prefix targets of a redirect.</summary>
public static class RedirectTarget
{
    /// <summary>An absolute http or https URL: <c>scheme://host[:port][/path[?query]]</c>.</summary>
    public static string? Url(ValidationErrors errors, string path, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (IsAbsolute(value, allowQuery: true))
        {
            return value;
        }

        errors.Add(path, "must be an absolute http or https URL: scheme://host[:port][/path][?query], the path and query as RFC 3986 allows.");
        return null;
    }

    /// <summary>A path, or an absolute http or https URL without a query, that does not end with '/': the request's path, which starts with one, follows it.</summary>
    public static string? Prefix(ValidationErrors errors, string path, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var valid = value.Length <= Grammar.MaxPathLength && !value.EndsWith('/')
            && (value.StartsWith('/') ? Grammar.IsUrlPath(value, allowQuery: false) : IsAbsolute(value, allowQuery: false));
        if (valid)
        {
            return value;
        }

        errors.Add(path, "must be a path (/new) or an absolute http or https URL without a query (https://example.com/new), not ending with '/'.");
        return null;
    }

    private static bool IsAbsolute(string value, bool allowQuery)
    {
        var rest = value.StartsWith("https://", StringComparison.Ordinal) ? value[8..]
            : value.StartsWith("http://", StringComparison.Ordinal) ? value[7..]
            : null;
        if (rest is null || value.Length > Grammar.MaxPathLength)
        {
            return false;
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        var host = colon < 0 ? authority : authority[..colon];
        if (!Grammar.IsHostname(host, allowWildcard: false))
        {
            return false;
        }

        if (colon >= 0)
        {
            var port = authority[(colon + 1)..];
            if (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit) || port[0] == '0' || int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) > 65535)
            {
                return false;
            }
        }

        return slash < 0 || Grammar.IsUrlPath(rest[slash..], allowQuery);
    }
}
