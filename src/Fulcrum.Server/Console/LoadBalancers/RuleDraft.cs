using Fulcrum.Core.Api;

namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>
/// A rule as its form edits it: text as typed, each part of the action kept while the operator tries another type.
/// <see cref="ToRequest"/> sends only what the chosen action uses, an empty text as absent; the API checks the rest.
/// </summary>
public sealed class RuleDraft
{
    public string? Name { get; set; }

    public int? Position { get; set; }

    public string? Host { get; set; }

    public string? Path { get; set; }

    public PathMatch PathMatch { get; set; } = PathMatch.Prefix;

    public List<ConditionDraft> Conditions { get; } = [];

    public RuleActionType Action { get; set; } = RuleActionType.Forward;

    public string? BackendGroupId { get; set; }

    public int? RejectStatus { get; set; } = 403;

    public RedirectTargetKind RedirectTarget { get; set; } = RedirectTargetKind.Url;

    public string? RedirectText { get; set; }

    public int? RedirectCode { get; set; } = 302;

    public int? FixedStatus { get; set; } = 200;

    public string? FixedContentType { get; set; } = FixedResponseSpec.DefaultContentType;

    public string? FixedBody { get; set; }

    public List<HeaderDraft> RequestHeaders { get; } = [];

    public List<HeaderDraft> ResponseHeaders { get; } = [];

    /// <summary>What the form may edit of an existing rule; a redirect by parts (scheme, host, port, path) is kept as it is.</summary>
    public RedirectSpec? KeptRedirect { get; private set; }

    public static RuleDraft From(RuleResponse rule)
    {
        var draft = new RuleDraft
        {
            Name = rule.Name,
            Position = rule.Position,
            Host = rule.Match.Host,
            Path = rule.Match.Path,
            PathMatch = rule.Match.PathMatch ?? PathMatch.Prefix,
            Action = rule.Action.Type ?? RuleActionType.Forward,
            BackendGroupId = rule.Action.BackendGroupId,
            RejectStatus = rule.Action.StatusCode ?? 403,
        };
        draft.Conditions.AddRange((rule.Match.Conditions ?? []).Select(c => new ConditionDraft
        {
            Type = c.Type ?? ConditionType.Header,
            Name = c.Name,
            Match = c.Match ?? ValueMatch.Exact,
            Value = c.Value,
            Invert = c.Invert ?? false,
        }));
        if (rule.Action.Redirect is { } redirect)
        {
            draft.RedirectCode = redirect.Code;
            (draft.RedirectTarget, draft.RedirectText) = (redirect.Url, redirect.Prefix) switch
            {
                ({ } url, _) => (RedirectTargetKind.Url, url),
                (_, { } prefix) => (RedirectTargetKind.Prefix, prefix),
                _ => (RedirectTargetKind.Parts, null),
            };
            draft.KeptRedirect = draft.RedirectTarget is RedirectTargetKind.Parts ? redirect : null;
        }

        if (rule.Action.FixedResponse is { } fixedResponse)
        {
            (draft.FixedStatus, draft.FixedContentType, draft.FixedBody) = (fixedResponse.StatusCode, fixedResponse.ContentType, fixedResponse.Body);
        }

        draft.RequestHeaders.AddRange((rule.Action.RequestHeaders ?? []).Select(HeaderDraft.From));
        draft.ResponseHeaders.AddRange((rule.Action.ResponseHeaders ?? []).Select(HeaderDraft.From));
        return draft;
    }

    public RuleRequest ToRequest(string listenerId, string? description, bool enabled) => new(
        listenerId,
        Text(Name),
        description,
        Position,
        new RuleMatch(
            Text(Host),
            Text(Path),
            Text(Path) is null ? null : PathMatch,
            Conditions.Count == 0 ? null : [.. Conditions.Select(c => c.ToCondition())]),
        new RuleAction(
            Action,
            Action is RuleActionType.Forward ? BackendGroupId : null,
            Action is RuleActionType.Redirect ? Redirect() : null,
            Action is RuleActionType.Reject ? RejectStatus : null,
            Action is RuleActionType.FixedResponse ? new FixedResponseSpec(FixedStatus, Text(FixedContentType), Text(FixedBody)) : null,
            Action is RuleActionType.Forward && RequestHeaders.Count > 0 ? [.. RequestHeaders.Select(h => h.ToChange())] : null,
            ResponseHeaders.Count > 0 ? [.. ResponseHeaders.Select(h => h.ToChange())] : null),
        enabled);

    private RedirectSpec Redirect() => RedirectTarget switch
    {
        RedirectTargetKind.Url => new RedirectSpec(null, null, null, null, RedirectCode, Url: Text(RedirectText)),
        RedirectTargetKind.Prefix => new RedirectSpec(null, null, null, null, RedirectCode, Prefix: Text(RedirectText)),
        _ => (KeptRedirect ?? new RedirectSpec(null, null, null, null, null)) with { Code = RedirectCode },
    };

    internal static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

public enum RedirectTargetKind
{
    Url,
    Prefix,
    Parts,
}

public sealed class ConditionDraft
{
    public ConditionType Type { get; set; } = ConditionType.Header;

    public string? Name { get; set; }

    public ValueMatch Match { get; set; } = ValueMatch.Exact;

    public string? Value { get; set; }

    public bool Invert { get; set; }

    /// <summary>Header, cookie and query conditions name what they look at.</summary>
    public bool Named => Type is ConditionType.Header or ConditionType.Cookie or ConditionType.Query;

    public RuleCondition ToCondition() => new(Type, Named ? RuleDraft.Text(Name) : null, Match, RuleDraft.Text(Value), Invert);
}

public sealed class HeaderDraft
{
    public HeaderOperation Op { get; set; } = HeaderOperation.Set;

    public string? Name { get; set; }

    public string? Value { get; set; }

    public static HeaderDraft From(HeaderChange change) => new() { Op = change.Op ?? HeaderOperation.Set, Name = change.Name, Value = change.Value };

    public HeaderChange ToChange() => new(Op, RuleDraft.Text(Name), Op is HeaderOperation.Remove ? null : RuleDraft.Text(Value));
}
