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
}
