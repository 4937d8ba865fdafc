using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fulcrum.Core.Validation;

/// <summary>
/// The strict grammars every field is held to. Each check records its own error under the field's path and returns
/// the normalised value, or null when the value is missing or invalid. Only display text (names, descriptions) may
/// hold arbitrary printable characters, and display text never leaves the control plane.
/// </summary>
public static class Grammar
{
    public const int MaxNameLength = 255;
    public const int MaxDescriptionLength = 1024;
    public const int MaxHostnameLength = 253;
    public const int MaxPathLength = 1024;
    public const int MaxTokenLength = 64;
    public const int MaxMediaTypeLength = 128;

    public static string? Name(ValidationErrors errors, string path, string? value, bool required = true) =>
        DisplayText(errors, path, value, MaxNameLength, required);

    public static string? Description(ValidationErrors errors, string path, string? value) =>
        DisplayText(errors, path, value, MaxDescriptionLength, required: false) ?? (errors.Has(path) ? null : "");

    /// <summary>
    /// Printable text of at most <paramref name="maxLength"/> characters: no control, format (bidi overrides,
    /// zero-width), separator or unpaired surrogate characters, no leading or trailing white space.
    /// </summary>
    public static string? DisplayText(ValidationErrors errors, string path, string? value, int maxLength, bool required)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (value.Length > maxLength)
        {
            errors.Add(path, $"must be at most {maxLength} characters.");
            return null;
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            errors.Add(path, "must not start or end with white space.");
            return null;
        }

        for (var i = 0; i < value.Length;)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var consumed) != OperationStatus.Done)
            {
                errors.Add(path, "must be valid Unicode text.");
                return null;
            }

            if (!IsPrintable(rune))
            {
                errors.Add(path, $"must not contain control or invisible formatting characters (found U+{rune.Value:X4}).");
                return null;
            }

            i += consumed;
        }

        return value;
    }

    /// <summary>
    /// A DNS host name (RFC 1123), returned in lower case. With <paramref name="allowWildcard"/>, a single leading
    /// <c>*.</c> label is allowed as well; nothing else may be a wildcard.
    /// </summary>
    public static string? Hostname(ValidationErrors errors, string path, string? value, bool allowWildcard = false, bool required = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (IsHostname(value, allowWildcard))
        {
            return value.ToLowerInvariant();
        }

        errors.Add(path, allowWildcard
            ? "must be a host name (letters, digits, '-' and '.', labels of 1-63 characters), optionally starting with '*.'."
            : "must be a host name (letters, digits, '-' and '.', labels of 1-63 characters).");
        return null;
    }

    public static bool IsHostname(string value, bool allowWildcard)
    {
        var name = value;
        if (allowWildcard && name.StartsWith("*.", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        // The wildcard label counts towards the 253 characters of a DNS name too.
        if (name.Length == 0 || value.Length > MaxHostnameLength)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// An absolute URL path (RFC 3986 <c>path-absolute</c>, percent-encoding checked), optionally with a query.
    /// White space, quotes, '#', backslashes and control characters can never pass, nor can a leading "//".
    /// </summary>
    public static string? UrlPath(ValidationErrors errors, string path, string? value, bool allowQuery = false, bool required = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (value.Length > MaxPathLength)
        {
            errors.Add(path, $"must be at most {MaxPathLength} characters.");
            return null;
        }

        if (IsUrlPath(value, allowQuery))
        {
            return value;
        }

        errors.Add(path, allowQuery
            ? "must be a URL path starting with '/', with an optional query, using only characters allowed by RFC 3986."
            : "must be a URL path starting with '/' using only characters allowed by RFC 3986 (no query).");
        return null;
    }

    public static bool IsUrlPath(string value, bool allowQuery)
    {
        // "//host/x" is a network-path reference, not a path: as a redirect target it would leave the site.
        if (value.Length == 0 || value[0] != '/' || value.StartsWith("//", StringComparison.Ordinal))
        {
            return false;
        }

        var inQuery = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (c == '?' && allowQuery && !inQuery)
            {
                inQuery = true;
            }
            else if (!(IsPathChar(c) || (inQuery && c is '?')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// An HTTP token (RFC 9110 <c>token</c>) without '#' and the single quote, which haproxy and nginx configuration
    /// files read as a comment and a quote: cookie names, header names.
    /// </summary>
    public static string? HttpToken(ValidationErrors errors, string path, string? value, bool required = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (value.Length <= MaxTokenLength && value.All(IsTokenChar))
        {
            return value;
        }

        errors.Add(path, $"must be 1-{MaxTokenLength} characters of letters, digits and !$%&*+-.^_`|~ (an HTTP token without '#' or quotes).");
        return null;
    }

    /// <summary>
    /// A value a rule compares with or writes into a header: printable ASCII (spaces inside it allowed), no
    /// leading or trailing white space, no backslash, and a '%' only as the start of a %XX escape (so that nothing
    /// can read as one of haproxy's <c>%[…]</c> expressions). Quotes pass only with <paramref name="allowQuotes"/>
    /// (header values such as <c>default-src 'self'</c>); the renderer writes every value as one quoted word.
    /// </summary>
    public static string? HeaderValue(ValidationErrors errors, string path, string? value, int maxLength, bool allowQuotes, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (value.Length > maxLength)
        {
            errors.Add(path, $"must be at most {maxLength} characters.");
            return null;
        }

        if (IsHeaderValue(value, allowQuotes))
        {
            return value;
        }

        errors.Add(path, allowQuotes
            ? "must be printable ASCII without control characters, backslashes or leading and trailing spaces; a '%' only as a %XX escape."
            : "must be printable ASCII without control characters, quotes, backslashes or leading and trailing spaces; a '%' only as a %XX escape.");
        return null;
    }

    public static bool IsHeaderValue(string value, bool allowQuotes)
    {
        if (value.Length == 0 || value[0] == ' ' || value[^1] == ' ')
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is < ' ' or > '~' or '\\' || (!allowQuotes && c is '\'' or '"'))
            {
                return false;
            }

            if (c == '%' && (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2])))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A media type (RFC 9110): <c>type/subtype</c> of HTTP tokens, then optional <c>; name=value</c> parameters of
    /// tokens, returned in lower case.
    /// </summary>
    public static string? MediaType(ValidationErrors errors, string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var parts = value.Split(';');
        var type = parts[0].Split('/');
        var valid = value.Length <= MaxMediaTypeLength && type.Length == 2 && IsToken(type[0]) && IsToken(type[1])
            && parts.Skip(1).All(parameter =>
                parameter.StartsWith(' ') && parameter.TrimStart(' ').Split('=') is [var name, var argument] && IsToken(name) && IsToken(argument));
        if (valid)
        {
            return value.ToLowerInvariant();
        }

        errors.Add(path, $"must be a media type such as 'text/plain' or 'text/html; charset=utf-8' (at most {MaxMediaTypeLength} characters).");
        return null;
    }

    /// <summary>An IPv4 address in dotted-quad form or an IPv6 address, returned in canonical (RFC 5952) form.</summary>
    public static IPAddress? IpAddress(ValidationErrors errors, string path, string? value, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (TryParseIp(value, out var address))
        {
            return address;
        }

        errors.Add(path, "must be an IPv4 address (a.b.c.d) or an IPv6 address.");
        return null;
    }

    /// <summary>
    /// Strict IP parsing: <see cref="IPAddress.TryParse(string, out IPAddress)"/> alone accepts "1", "0x7f.1" and
    /// scope ids, none of which belongs in a load balancer's configuration.
    /// </summary>
    public static bool TryParseIp(string value, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (value.Length is 0 or > 45)
        {
            return false;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            if (value.Contains('%', StringComparison.Ordinal) || !value.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                return false;
            }

            return IPAddress.TryParse(value, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = value.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || !part.All(char.IsAsciiDigit)
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>A CIDR block (or a single address, taken as /32 or /128), normalised so that host bits are zero.</summary>
    public static IPNetwork? Cidr(ValidationErrors errors, string path, string? value, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (TryParseCidr(value, out var network))
        {
            return network;
        }

        errors.Add(path, "must be an IPv4 or IPv6 address or CIDR block (for example 198.18.0.0/15 or 2001:db8::/32).");
        return null;
    }

    public static bool TryParseCidr(string value, out IPNetwork network)
    {
        network = default;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? value : value[..slash];
        if (!TryParseIp(addressText, out var address))
        {
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = value[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || (prefixText.Length > 1 && prefixText[0] == '0') || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix)
            {
                return false;
            }
        }

        network = new IPNetwork(Mask(address, prefix), prefix);
        return true;
    }

    /// <summary>The address with every bit past <paramref name="prefixLength"/> cleared.</summary>
    public static IPAddress Mask(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    public static int? Range(ValidationErrors errors, string path, int? value, int min, int max, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (value < min || value > max)
        {
            errors.Add(path, $"must be between {min} and {max}.");
            return null;
        }

        return value;
    }

    public static int? Port(ValidationErrors errors, string path, int? value, bool required = true) =>
        Range(errors, path, value, 1, 65535, required);

    public static T? Required<T>(ValidationErrors errors, string path, T? value)
        where T : struct
    {
        if (value is null)
        {
            errors.Add(path, "is required.");
        }

        return value;
    }

    public static string? Required(ValidationErrors errors, string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(path, "is required.");
            return null;
        }

        return value;
    }

    private static bool IsPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };

    /// <summary>RFC 3986 <c>pchar</c> without the single quote, which must be written %27 (see <see cref="UrlPath"/>).</summary>
    private static bool IsPathChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '!' or '$' or '&' or '(' or ')'
            or '*' or '+' or ',' or ';' or '=' or ':' or '@' or '/';

    private static bool IsToken(string value) => value.Length is > 0 and <= MaxTokenLength && value.All(IsTokenChar);

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '$' or '%' or '&' or '*' or '+' or '-' or '.'
            or '^' or '_' or '`' or '|' or '~';
}
