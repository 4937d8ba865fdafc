using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class RulesTests
{
    [Fact]
    public void Normalize_ForwardRule_DefaultsFilledIn()
    {
        var errors = new ValidationErrors();
        var request = new RuleRequest("lst-1", "api", null, null, new RuleMatch("API.Example.com", "/v1", null), new RuleAction(RuleActionType.Forward, "bg-1", null, null), null);

        var rule = request.Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal("lst-1", rule.ListenerId);
        Assert.Equal("", rule.Description);
        Assert.Equal(1, rule.Position);
        Assert.Equal(new RuleMatch("api.example.com", "/v1", PathMatch.Prefix), rule.Match);
        Assert.Equal(new RuleAction(RuleActionType.Forward, "bg-1", null, null), rule.Action);
        Assert.True(rule.Enabled);
    }

    [Fact]
    public void Normalize_MissingMatchAndAction_BothRequired()
    {
        var errors = new ValidationErrors();

        new RuleRequest("lst-1", "api", null, null, null, null, null).Normalize(errors);

        Assert.Equal(["action", "match"], errors.Paths());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void Normalize_PositionOutOfRange_Rejected(int position)
    {
        var errors = new ValidationErrors();

        (Rule(new RuleMatch(null, "/", null), Forward()) with { Position = position }).Normalize(errors);

        Assert.Equal(["position"], errors.Paths());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("", null)]
    public void Normalize_MatchWithoutHostOrPath_RejectedAtMatch(string? host, string? path)
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(host, path, PathMatch.Exact), Forward()).Normalize(errors);

        Assert.Equal(["match"], errors.Paths());
        Assert.Equal(["needs a host, a path or conditions."], errors.MessagesAt("match"));
    }

    [Fact]
    public void Normalize_MatchHostOnly_NoPathMatch()
    {
        var errors = new ValidationErrors();

        var rule = Rule(new RuleMatch("*.Example.com", null, PathMatch.Exact), Forward()).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new RuleMatch("*.example.com", null, null), rule.Match);
    }

    [Fact]
    public void Normalize_MatchExactPath_Kept()
    {
        var errors = new ValidationErrors();

        var rule = Rule(new RuleMatch(null, "/login", PathMatch.Exact), Forward()).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new RuleMatch(null, "/login", PathMatch.Exact), rule.Match);
    }

    [Theory]
    [InlineData("api.*.example.com", "/", "match.host")]
    [InlineData("example.com", "login", "match.path")]
    [InlineData("example.com", "/search?q=1", "match.path")]
    [InlineData("example.com", "/a b", "match.path")]
    public void Normalize_MatchInvalidHostOrPath_ErrorAtThatField(string host, string path, string errorPath)
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(host, path, null), Forward()).Normalize(errors);

        Assert.Equal([errorPath], errors.Paths());
    }

    [Fact]
    public void Normalize_ForwardWithoutBackendGroup_BackendGroupIdRequired()
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(null, "/", null), new RuleAction(RuleActionType.Forward, null, null, null)).Normalize(errors);

        Assert.Equal(["action.backendGroupId"], errors.Paths());
    }

    [Fact]
    public void Normalize_ActionWithoutType_TypeRequiredAndEveryFieldRejected()
    {
        var errors = new ValidationErrors();
        var action = new RuleAction(null, "bg-1", new RedirectSpec(RedirectScheme.Https, null, null, null, null), 403);

        Rule(new RuleMatch(null, "/", null), action).Normalize(errors);

        Assert.Equal(["action.backendGroupId", "action.redirect", "action.statusCode", "action.type"], errors.Paths());
    }

    [Fact]
    public void Normalize_ForwardWithRedirectAndStatusCode_ThoseFieldsRejected()
    {
        var errors = new ValidationErrors();
        var action = new RuleAction(RuleActionType.Forward, "bg-1", new RedirectSpec(RedirectScheme.Https, null, null, null, null), 403);

        var rule = Rule(new RuleMatch(null, "/", null), action).Normalize(errors);

        Assert.Equal(["action.redirect", "action.statusCode"], errors.Paths());
        Assert.Equal(["is only used by the redirect action."], errors.MessagesAt("action.redirect"));
        Assert.Equal(["is only used by the reject action."], errors.MessagesAt("action.statusCode"));
        Assert.Equal(new RuleAction(RuleActionType.Forward, "bg-1", null, null), rule.Action);
    }

    [Fact]
    public void Normalize_RejectWithBackendGroup_BackendGroupIdRejected()
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(null, "/", null), new RuleAction(RuleActionType.Reject, "bg-1", null, null)).Normalize(errors);

        Assert.Equal(["action.backendGroupId"], errors.Paths());
        Assert.Equal(["is only used by the forward action."], errors.MessagesAt("action.backendGroupId"));
    }

    [Fact]
    public void Normalize_RejectWithoutStatus_Defaults403()
    {
        var errors = new ValidationErrors();

        var rule = Rule(new RuleMatch(null, "/admin", null), new RuleAction(RuleActionType.Reject, null, null, null)).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new RuleAction(RuleActionType.Reject, null, null, 403), rule.Action);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(503)]
    public void Normalize_RejectWithListedStatus_Kept(int status)
    {
        var errors = new ValidationErrors();

        var rule = Rule(new RuleMatch(null, "/admin", null), new RuleAction(RuleActionType.Reject, null, null, status)).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(status, rule.Action?.StatusCode);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(302)]
    [InlineData(402)]
    [InlineData(418)]
    [InlineData(599)]
    [InlineData(0)]
    public void Normalize_RejectWithUnlistedStatus_Rejected(int status)
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(null, "/admin", null), new RuleAction(RuleActionType.Reject, null, null, status)).Normalize(errors);

        Assert.Equal(["action.statusCode"], errors.Paths());
        Assert.StartsWith("must be one of 400, 401, 403,", Assert.Single(errors.MessagesAt("action.statusCode")), StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_RedirectToHttps_Defaults302()
    {
        var errors = new ValidationErrors();

        var rule = Rule(new RuleMatch(null, "/", null), Redirect(new RedirectSpec(RedirectScheme.Https, null, null, null, null))).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new RedirectSpec(RedirectScheme.Https, null, null, null, 302), rule.Action?.Redirect);
        Assert.Null(rule.Action?.BackendGroupId);
        Assert.Null(rule.Action?.StatusCode);
    }

    [Fact]
    public void Normalize_RedirectWithEveryPart_Normalised()
    {
        var errors = new ValidationErrors();

        var rule = Rule(new RuleMatch(null, "/old", null), Redirect(new RedirectSpec(RedirectScheme.Http, "New.Example.COM", 8080, "/new", 308))).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new RedirectSpec(RedirectScheme.Http, "new.example.com", 8080, "/new", 308), rule.Action?.Redirect);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public void Normalize_RedirectCode_Accepted(int code)
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(null, "/", null), Redirect(new RedirectSpec(null, "example.com", null, null, code))).Normalize(errors);

        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(304)]
    [InlineData(200)]
    [InlineData(404)]
    public void Normalize_RedirectCodeNotARedirect_Rejected(int code)
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(null, "/", null), Redirect(new RedirectSpec(null, "example.com", null, null, code))).Normalize(errors);

        Assert.Equal(["action.redirect.code"], errors.Paths());
        Assert.Equal(["must be one of 301, 302, 303, 307, 308."], errors.MessagesAt("action.redirect.code"));
    }

    [Fact]
    public void Normalize_RedirectWithNothingToChange_Rejected()
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(null, "/", null), Redirect(new RedirectSpec(null, null, null, null, 301))).Normalize(errors);

        Assert.Equal(["action.redirect"], errors.Paths());
    }

    [Fact]
    public void Normalize_RedirectActionWithoutRedirect_Rejected()
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(null, "/", null), Redirect(null)).Normalize(errors);

        Assert.Equal(["action.redirect"], errors.Paths());
        Assert.Equal(["needs a url, a prefix, or at least one of scheme, host, port and path."], errors.MessagesAt("action.redirect"));
    }

    [Fact]
    public void Normalize_RedirectInvalidParts_ErrorPerPart()
    {
        var errors = new ValidationErrors();

        Rule(new RuleMatch(null, "/", null), Redirect(new RedirectSpec(null, "*.example.com", 0, "/next?x=1", null))).Normalize(errors);

        Assert.Equal(["action.redirect.host", "action.redirect.path", "action.redirect.port"], errors.Paths());
    }

    private static RuleRequest Rule(RuleMatch match, RuleAction action) => new("lst-1", "rule", null, null, match, action, null);

    private static RuleAction Forward() => new(RuleActionType.Forward, "bg-1", null, null);

    private static RuleAction Redirect(RedirectSpec? redirect) => new(RuleActionType.Redirect, null, redirect, null);
}
