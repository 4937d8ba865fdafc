using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Rules;

public sealed class RulesApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task List_IsInEvaluationOrder_ByPositionThenCreation()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.60.1");
        foreach (var (name, position) in new[] { ("third", 20), ("first", 10), ("fourth", 20), ("second", 15) })
        {
            await _admin.CreateAsync<RuleResponse>("rules", new { listenerId = tree.Listener.Id, name, position, match = new { path = "/" + name }, action = new { type = "forward", backendGroupId = tree.Group.Id } });
        }

        var rules = await _admin.GetAsync<Page<RuleResponse>>($"rules?listenerId={tree.Listener.Id}");

        Assert.Equal(["first", "second", "third", "fourth"], rules.Items.Select(r => r.Name));
    }

    [Fact]
    public async Task Create_OnTcpListener_IsRefused()
    {
        var lb = await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.60.2");
        var tcp = await Seed.ListenerAsync(lb, "tcp", 3306);

        var response = await _admin.PostAsync("rules", new { listenerId = tcp.Id, name = "r", match = new { path = "/" }, action = new { type = "reject" } });

        Assert.Contains("listenerId", (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task Create_InvalidMatchAndAction_NamesEveryField()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.60.3");

        var response = await _admin.PostAsync("rules", new
        {
            listenerId = tree.Listener.Id,
            name = "bad",
            match = new { host = "*.*.example.test", path = "no-slash" },
            action = new { type = "redirect", backendGroupId = tree.Group.Id, redirect = new { host = "evil\n.test", code = 200 } },
        });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(
            ["action.backendGroupId", "action.redirect.code", "action.redirect.host", "match.host", "match.path"],
            problem.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Create_WildcardHostAndReject_DefaultsTo403()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.60.4");

        var rule = await _admin.CreateAsync<RuleResponse>("rules", new { listenerId = tree.Listener.Id, name = "r", match = new { host = "*.Example.test" }, action = new { type = "reject" } });

        Assert.Equal("*.example.test", rule.Match.Host);
        Assert.Equal(403, rule.Action.StatusCode);
    }

    [Fact]
    public async Task Create_ConditionsFixedResponseAndHeaderChanges_ComeBackAsGiven_AndReplaceOnPut()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.60.5");
        var conditions = new object[]
        {
            new { type = "header", name = "X-Env", value = "canary" },
            new { type = "query", name = "beta", match = "prefix", value = "1" },
            new { type = "path", match = "regex", value = "^/api/v[0-9]+/", invert = true },
            new { type = "source", value = "10.1.0.0/16" },
        };

        var rule = await _admin.CreateAsync<RuleResponse>("rules", new
        {
            listenerId = tree.Listener.Id,
            name = "canary",
            match = new { conditions },
            action = new
            {
                type = "forward",
                backendGroupId = tree.Group.Id,
                requestHeaders = new[] { new { op = "set", name = "X-Edge", value = "fulcrum" } },
                responseHeaders = new object[] { new { op = "add", name = "Content-Security-Policy", value = "default-src 'self'" }, new { op = "remove", name = "Server" } },
            },
        });
        var read = await _admin.GetAsync<RuleResponse>($"rules/{rule.Id}");

        Assert.Equal(
            [
                new RuleCondition(ConditionType.Header, "X-Env", ValueMatch.Exact, "canary", false),
                new RuleCondition(ConditionType.Query, "beta", ValueMatch.Prefix, "1", false),
                new RuleCondition(ConditionType.Path, null, ValueMatch.Regex, "^/api/v[0-9]+/", true),
                new RuleCondition(ConditionType.Source, null, ValueMatch.Exact, "10.1.0.0/16", false),
            ],
            read.Match.Conditions!);
        Assert.Equal([new HeaderChange(HeaderOperation.Set, "X-Edge", "fulcrum")], read.Action.RequestHeaders!);
        Assert.Equal(
            [new HeaderChange(HeaderOperation.Add, "Content-Security-Policy", "default-src 'self'"), new HeaderChange(HeaderOperation.Remove, "Server", null)],
            read.Action.ResponseHeaders!);

        var replaced = await _admin.UpdateAsync<RuleResponse>($"rules/{rule.Id}", new
        {
            listenerId = tree.Listener.Id,
            name = "canary",
            match = new { path = "/status" },
            action = new { type = "fixedResponse", fixedResponse = new { statusCode = 503, contentType = "application/json", body = "{}" } },
        });

        Assert.Null(replaced.Match.Conditions);
        Assert.Null(replaced.Action.RequestHeaders);
        Assert.Equal(new FixedResponseSpec(503, "application/json", "{}"), (await _admin.GetAsync<RuleResponse>($"rules/{rule.Id}")).Action.FixedResponse);
    }

    [Fact]
    public async Task Create_RedirectByPrefixOrUrl_ComesBackAsGiven_AndBothAtOnceAreRefused()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.60.6");

        var prefix = await _admin.CreateAsync<RuleResponse>("rules", new { listenerId = tree.Listener.Id, name = "p", match = new { path = "/old" }, action = new { type = "redirect", redirect = new { prefix = "https://new.example.test", code = 301 } } });
        var url = await _admin.CreateAsync<RuleResponse>("rules", new { listenerId = tree.Listener.Id, name = "u", match = new { path = "/away" }, action = new { type = "redirect", redirect = new { url = "https://example.test/moved?from=away" } } });
        var both = await _admin.PostAsync("rules", new { listenerId = tree.Listener.Id, name = "b", match = new { path = "/both" }, action = new { type = "redirect", redirect = new { prefix = "https://a.test", url = "https://b.test/" } } });

        Assert.Equal(("https://new.example.test", 301), (prefix.Action.Redirect!.Prefix, prefix.Action.Redirect.Code!.Value));
        Assert.Equal("https://example.test/moved?from=away", url.Action.Redirect!.Url);
        Assert.Contains("action.redirect", (await both.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    /// <summary>Every bad part of conditions and header changes is named by its JSON path in one answer, and nothing is created.</summary>
    [Fact]
    public async Task Create_BadConditionsAndHeaderChanges_NamesEveryField_AndCreatesNothing()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.60.7");

        var response = await _admin.PostAsync("rules", new
        {
            listenerId = tree.Listener.Id,
            name = "hostile",
            match = new
            {
                conditions = new object[]
                {
                    new { type = "header", value = "x" },
                    new { type = "header", name = "X-Env", value = "a\nuse_backend evil" },
                    new { type = "path", match = "regex", value = "(a+)+$" },
                    new { type = "method", match = "prefix", value = "GE" },
                    new { type = "source", value = "not-a-cidr" },
                    new { type = "cookie", name = "sid", value = "%[src]" },
                    new { type = "host", name = "unused", value = "shop.example.test" },
                },
            },
            action = new
            {
                type = "forward",
                backendGroupId = tree.Group.Id,
                requestHeaders = new object[] { new { op = "set", name = "Transfer-Encoding", value = "chunked" }, new { op = "remove", name = "X-A", value = "x" } },
                responseHeaders = new[] { new { op = "set", name = "X-Long", value = new string('a', HeaderChange.MaxValueLength + 1) } },
            },
        });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(
            [
                "action.requestHeaders[0].name", "action.requestHeaders[1].value", "action.responseHeaders[0].value",
                "match.conditions[0].name", "match.conditions[1].value", "match.conditions[2].value", "match.conditions[3].match",
                "match.conditions[4].value", "match.conditions[5].value", "match.conditions[6].name",
            ],
            problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty((await _admin.GetAsync<Page<RuleResponse>>($"rules?listenerId={tree.Listener.Id}")).Items);
    }

    [Fact]
    public async Task Create_TooManyConditions_AndAFixedResponseBodyTooLong_AreRefused()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.60.8");
        var many = Enumerable.Range(0, RuleMatch.MaxConditions + 1).Select(i => new { type = "header", name = $"X-{i}", value = "1" }).ToArray();

        var conditions = await _admin.PostAsync("rules", new { listenerId = tree.Listener.Id, name = "many", match = new { conditions = many }, action = new { type = "reject" } });
        var body = await _admin.PostAsync("rules", new
        {
            listenerId = tree.Listener.Id,
            name = "long",
            match = new { path = "/" },
            action = new { type = "fixedResponse", fixedResponse = new { statusCode = 200, body = new string('x', FixedResponseSpec.MaxBodyLength + 1) } },
        });

        Assert.Contains("match.conditions", (await conditions.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Contains("action.fixedResponse.body", (await body.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }
}
