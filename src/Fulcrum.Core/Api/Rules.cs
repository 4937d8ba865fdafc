using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// A layer 7 rule of an http or https listener. Rules are evaluated by ascending <see cref="Position"/> (ties in
/// creation order); the first whose every given condition matches acts. <see cref="ListenerId"/> is fixed.
/// </summary>
public sealed record RuleRequest(string? ListenerId, string? Name, string? Description, int? Position, RuleMatch? Match, RuleAction? Action, bool? Enabled)
{
    public const int MaxPosition = 100_000;

    public RuleRequest Normalize(ValidationErrors errors)
    {
        if (Match is null)
        {
            errors.Add("match", "is required (a host, a path or both).");
        }

        if (Action is null)
        {
            errors.Add("action", "is required.");
        }

        return new(
            Grammar.Required(errors, "listenerId", ListenerId),
            Grammar.Name(errors, "name", Name),
            Grammar.Description(errors, "description", Description),
            Grammar.Range(errors, "position", Position ?? 1, 0, MaxPosition),
            Match?.Normalize(errors, "match"),
            Action?.Normalize(errors, "action"),
            Enabled ?? true);
    }
}

/// <summary>
/// Host is exact or <c>*.suffix</c>; path is a prefix or exact match; every condition must hold as well (they are
/// ANDed). At least one of the three is needed.
/// </summary>
public sealed record RuleMatch(string? Host, string? Path, PathMatch? PathMatch, IReadOnlyList<RuleCondition>? Conditions = null)
{
    public const int MaxConditions = 16;

    public RuleMatch Normalize(ValidationErrors errors, string path)
    {
        if (string.IsNullOrEmpty(Host) && string.IsNullOrEmpty(Path) && Conditions is not { Count: > 0 })
        {
            errors.Add(path, "needs a host, a path or conditions.");
        }

        var urlPath = Grammar.UrlPath(errors, $"{path}.path", Path);
        return new(
            Grammar.Hostname(errors, $"{path}.host", Host, allowWildcard: true),
            urlPath,
            urlPath is null ? null : PathMatch ?? Api.PathMatch.Prefix,
            NormalizeConditions(errors, $"{path}.conditions"));
    }

    private List<RuleCondition>? NormalizeConditions(ValidationErrors errors, string path)
    {
        if (Conditions is not { Count: > 0 })
        {
            return null;
        }

        if (Conditions.Count > MaxConditions)
        {
            errors.Add(path, $"must hold at most {MaxConditions} conditions.");
            return null;
        }

        var conditions = new List<RuleCondition>();
        for (var i = 0; i < Conditions.Count; i++)
        {
            if (Conditions[i] is not { } condition)
            {
                errors.Add($"{path}[{i}]", "must be an object with a type and a value.");
                continue;
            }

            conditions.Add(condition.Normalize(errors, $"{path}[{i}]"));
        }

        return conditions;
    }
}

/// <summary>
/// What a rule does with a request it matches. Forward sends it to a backend group, redirect, reject and fixedResponse
/// answer it from the load balancer. <see cref="RequestHeaders"/> change the request a forward sends on;
/// <see cref="ResponseHeaders"/> change the answer the client gets, whichever action made it.
/// </summary>
public sealed record RuleAction(
    RuleActionType? Type,
    string? BackendGroupId,
    RedirectSpec? Redirect,
    int? StatusCode,
    FixedResponseSpec? FixedResponse = null,
    IReadOnlyList<HeaderChange>? RequestHeaders = null,
    IReadOnlyList<HeaderChange>? ResponseHeaders = null)
{
    /// <summary>The statuses haproxy can answer a rejected request with.</summary>
    public static readonly int[] RejectStatuses = [400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504];

    public RuleAction Normalize(ValidationErrors errors, string path)
    {
        var type = Grammar.Required(errors, $"{path}.type", Type);
        Only(errors, $"{path}.backendGroupId", BackendGroupId is not null, type is RuleActionType.Forward, "forward");
        Only(errors, $"{path}.redirect", Redirect is not null, type is RuleActionType.Redirect, "redirect");
        Only(errors, $"{path}.statusCode", StatusCode is not null, type is RuleActionType.Reject, "reject");
        Only(errors, $"{path}.fixedResponse", FixedResponse is not null, type is RuleActionType.FixedResponse, "fixedResponse");
        Only(errors, $"{path}.requestHeaders", RequestHeaders is { Count: > 0 }, type is RuleActionType.Forward, "forward");

        var status = StatusCode;
        if (type is RuleActionType.Reject)
        {
            status ??= 403;
            if (!RejectStatuses.Contains(status.Value))
            {
                errors.Add($"{path}.statusCode", $"must be one of {string.Join(", ", RejectStatuses)}.");
            }
        }

        return new(
            type,
            type is RuleActionType.Forward ? Grammar.Required(errors, $"{path}.backendGroupId", BackendGroupId) : null,
            type is RuleActionType.Redirect ? RedirectSpec.Normalize(errors, $"{path}.redirect", Redirect) : null,
            type is RuleActionType.Reject ? status : null,
            type is RuleActionType.FixedResponse ? FixedResponseSpec.Normalize(errors, $"{path}.fixedResponse", FixedResponse) : null,
            type is RuleActionType.Forward ? HeaderChange.NormalizeAll(errors, $"{path}.requestHeaders", RequestHeaders) : null,
            HeaderChange.NormalizeAll(errors, $"{path}.responseHeaders", ResponseHeaders));
    }

    private static void Only(ValidationErrors errors, string path, bool present, bool allowed, string action)
    {
        if (present && !allowed)
        {
            errors.Add(path, $"is only used by the {action} action.");
        }
    }
}

/// <summary>
/// Either a whole <see cref="Url"/>, or a <see cref="Prefix"/> put before the request's path and query, or parts
/// (scheme, host, port, path) that replace those of the request, the parts not given kept.
/// </summary>
public sealed record RedirectSpec(RedirectScheme? Scheme, string? Host, int? Port, string? Path, int? Code, string? Prefix = null, string? Url = null)
{
    public static readonly int[] Codes = [301, 302, 303, 307, 308];

    public static RedirectSpec Normalize(ValidationErrors errors, string path, RedirectSpec? spec)
    {
        var parts = spec is not null && (spec.Scheme is not null || spec.Host is not null || spec.Port is not null || spec.Path is not null);
        var given = (parts ? 1 : 0) + (spec?.Prefix is null ? 0 : 1) + (spec?.Url is null ? 0 : 1);
        if (given != 1)
        {
            errors.Add(path, given == 0
                ? "needs a url, a prefix, or at least one of scheme, host, port and path."
                : "takes only one of url, prefix, or parts (scheme, host, port, path).");
        }

        var code = spec?.Code ?? 302;
        if (!Codes.Contains(code))
        {
            errors.Add($"{path}.code", $"must be one of {string.Join(", ", Codes)}.");
        }

        return new(
            spec?.Scheme,
            Grammar.Hostname(errors, $"{path}.host", spec?.Host),
            Grammar.Port(errors, $"{path}.port", spec?.Port, required: false),
            Grammar.UrlPath(errors, $"{path}.path", spec?.Path),
            code,
            RedirectTarget.Prefix(errors, $"{path}.prefix", spec?.Prefix),
            RedirectTarget.Url(errors, $"{path}.url", spec?.Url));
    }
}

/// <summary>
/// An answer made by the load balancer itself: a status, and optionally a short text body with its media type
/// (<c>text/plain</c> unless given). haproxy reads the body from a file of its own and sends it as it is.
/// </summary>
public sealed record FixedResponseSpec(int? StatusCode, string? ContentType, string? Body)
{
    public const int MaxBodyLength = 1024;
    public const string DefaultContentType = "text/plain";

    public static FixedResponseSpec Normalize(ValidationErrors errors, string path, FixedResponseSpec? spec)
    {
        var status = Grammar.Range(errors, $"{path}.statusCode", spec?.StatusCode ?? 200, 200, 599);
        var body = CheckBody(errors, $"{path}.body", spec?.Body);
        if (body is not null && status is 204 or 304)
        {
            errors.Add($"{path}.body", "must be empty for a 204 or 304 status.");
        }

        if (string.IsNullOrEmpty(spec?.Body) && spec?.ContentType is not null)
        {
            errors.Add($"{path}.contentType", "is only used with a body.");
        }

        var contentType = Grammar.MediaType(errors, $"{path}.contentType", spec?.ContentType);
        return new(status, body is null ? null : contentType ?? DefaultContentType, body);
    }

    /// <summary>Printable ASCII and line feeds: the body file is read by people too, and holds nothing else.</summary>
    private static string? CheckBody(ValidationErrors errors, string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > MaxBodyLength)
        {
            errors.Add(path, $"must be at most {MaxBodyLength} characters.");
            return null;
        }

        if (!value.All(c => c is (>= ' ' and <= '~') or '\n'))
        {
            errors.Add(path, "must be printable ASCII text and line feeds only.");
            return null;
        }

        return value;
    }
}

public sealed record RuleResponse(
    string Id,
    string ListenerId,
    string Name,
    string Description,
    int Position,
    RuleMatch Match,
    RuleAction Action,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
