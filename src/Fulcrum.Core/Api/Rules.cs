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

/// <summary>Host is exact or <c>*.suffix</c>; path is a prefix or exact match.</summary>
public sealed record RuleMatch(string? Host, string? Path, PathMatch? PathMatch)
{
    public RuleMatch Normalize(ValidationErrors errors, string path)
    {
        if (string.IsNullOrEmpty(Host) && string.IsNullOrEmpty(Path))
        {
            errors.Add(path, "needs a host, a path or both.");
        }

        var urlPath = Grammar.UrlPath(errors, $"{path}.path", Path);
        return new(
            Grammar.Hostname(errors, $"{path}.host", Host, allowWildcard: true),
            urlPath,
            urlPath is null ? null : PathMatch ?? Api.PathMatch.Prefix);
    }
}

public sealed record RuleAction(RuleActionType? Type, string? BackendGroupId, RedirectSpec? Redirect, int? StatusCode)
{
    /// <summary>The statuses haproxy can answer a rejected request with.</summary>
    public static readonly int[] RejectStatuses = [400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504];

    public RuleAction Normalize(ValidationErrors errors, string path)
    {
        var type = Grammar.Required(errors, $"{path}.type", Type);
        Only(errors, $"{path}.backendGroupId", BackendGroupId is not null, type is RuleActionType.Forward, "forward");
        Only(errors, $"{path}.redirect", Redirect is not null, type is RuleActionType.Redirect, "redirect");
        Only(errors, $"{path}.statusCode", StatusCode is not null, type is RuleActionType.Reject, "reject");

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
            type is RuleActionType.Reject ? status : null);
    }

    private static void Only(ValidationErrors errors, string path, bool present, bool allowed, string action)
    {
        if (present && !allowed)
        {
            errors.Add(path, $"is only used by the {action} action.");
        }
    }
}

/// <summary>Parts not given keep those of the request; at least one must be given.</summary>
public sealed record RedirectSpec(RedirectScheme? Scheme, string? Host, int? Port, string? Path, int? Code)
{
    public static readonly int[] Codes = [301, 302, 303, 307, 308];

    public static RedirectSpec Normalize(ValidationErrors errors, string path, RedirectSpec? spec)
    {
        if (spec is null || (spec.Scheme is null && spec.Host is null && spec.Port is null && spec.Path is null))
        {
            errors.Add(path, "needs at least one of scheme, host, port and path.");
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
            code);
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
