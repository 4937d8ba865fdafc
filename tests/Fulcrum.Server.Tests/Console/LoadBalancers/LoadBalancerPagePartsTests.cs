using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Server.Console.LoadBalancers;
using Fulcrum.Server.LoadBalancers;

namespace Fulcrum.Server.Tests.Console.LoadBalancers;

public sealed class LoadBalancerPagePartsTests : ConsoleTestContext
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    private static RuleResponse Rule(string name, int position) =>
        new($"rul-{name}", "lsn-1", name, "", position, new RuleMatch(null, $"/{name}", PathMatch.Prefix), new RuleAction(RuleActionType.Forward, "bg-1", null, null), true, At, At);

    private static BackendResponse Backend(string address, BackendAdminState state, BackendHealth health) =>
        new($"bk-{address}", "bg-1", "", address, 8080, 1, false, state, health, At, At);

    [Fact]
    public void AccessLogPanel_ShowsTheNewestLineFirst_WithTheClientStatusAndRequest()
    {
        var lines = new[]
        {
            new AccessLogEntry(At, "lsn-1", ListenerProtocol.Http, "198.18.0.100", 40000, BackendId: "be-1", Status: 200, TotalMs: 12, TerminationState: "----", Method: "GET", Uri: "/old"),
            new AccessLogEntry(At.AddSeconds(1), "lsn-1", ListenerProtocol.Http, "2001:db8::7", 40001, Status: 403, TotalMs: 0, TerminationState: "PR--", Method: "POST", Uri: "/admin"),
        };

        var cut = Render<AccessLogPanel>(p => p.Add(l => l.Lines, lines));

        var rows = cut.FindAll("[data-access-log] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("[2001:db8::7]:40001", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("403", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("POST /admin", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("198.18.0.100:40000", rows[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AccessLogPanel_WithoutLines_SaysWhereTheyComeFrom()
    {
        var cut = Render<AccessLogPanel>(p => p.Add(l => l.Lines, []));

        Assert.Contains("heartbeats", cut.Find("[data-access-log='empty']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Move_SwapsTheRuleWithItsNeighbour_WritingOnlyTheRulesThatMove()
    {
        var rules = new[] { Rule("a", 10), Rule("b", 20), Rule("c", 30) };

        Assert.Equal([("c", 20), ("b", 30)], RuleOrder.Move(rules, 2, -1).Select(m => (m.Rule.Name, m.Position)));
        Assert.Empty(RuleOrder.Move(rules, 0, -1));
        Assert.Equal([("b", 10), ("a", 20), ("c", 30)], RuleOrder.Move([Rule("a", 5), Rule("b", 5), Rule("c", 7)], 1, -1).Select(m => (m.Rule.Name, m.Position)));
    }

    [Fact]
    public void RuleList_MovingDown_HandsTheNewPositionsToThePage_AndTheLastCannotGoFurther()
    {
        IReadOnlyList<(RuleResponse Rule, int Position)>? moved = null;
        var cut = Render<RuleList>(p => p
            .Add(l => l.Rules, [Rule("api", 10), Rule("static", 20)])
            .Add(l => l.OnMove, m => moved = m));

        cut.Find("button[aria-label='Move api down']").Click();

        Assert.Equal([("static", 10), ("api", 20)], moved!.Select(m => (m.Rule.Name, m.Position)).OrderBy(m => m.Position));
        Assert.True(cut.Find("button[aria-label='Move static down']").HasAttribute("disabled"));
        Assert.Contains("path starts with /api", cut.Find("[data-rule='api']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleList_ARuleWithConditionsAndAFixedResponse_ShowsEachConditionAndTheStatus()
    {
        var match = new RuleMatch(null, null, null, [new RuleCondition(ConditionType.Header, "X-Canary", ValueMatch.Exact, "1", Invert: true)]);
        var action = new RuleAction(RuleActionType.FixedResponse, null, null, null, new FixedResponseSpec(503, "text/plain", "down for maintenance"));
        var rule = new RuleResponse("rul-m", "lsn-1", "maintenance", "", 10, match, action, true, At, At);

        var cut = Render<RuleList>(p => p.Add(l => l.Rules, [rule]));

        var text = cut.Find("[data-rule='maintenance']").TextContent;
        Assert.Contains("not header X-Canary exact 1", text, StringComparison.Ordinal);
        Assert.Contains("answer 503", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BackendRow_OffersWhatTheStateAllows_AndShowsLiveHealth()
    {
        var changes = new List<(BackendResponse, BackendAdminState)>();
        var cut = Render<BackendTable>(p => p
            .Add(t => t.Backends, [Backend("10.0.0.11", BackendAdminState.Enabled, BackendHealth.Up), Backend("10.0.0.12", BackendAdminState.Drain, BackendHealth.Down)])
            .Add(t => t.OnSetState, c => changes.Add(c)));

        cut.Find("button[aria-label='Drain 10.0.0.11:8080']").Click();
        cut.Find("button[aria-label='Enable 10.0.0.12:8080']").Click();

        Assert.Equal([("10.0.0.11", BackendAdminState.Drain), ("10.0.0.12", BackendAdminState.Enabled)], changes.Select(c => (c.Item1.Address, c.Item2)));
        Assert.Empty(cut.FindAll("button[aria-label='Enable 10.0.0.11:8080']"));
        Assert.Equal("UP", cut.Find("[data-health='10.0.0.11:8080']").TextContent.Trim());
        Assert.Equal("draining: no new connections", cut.Find("[data-state='10.0.0.12:8080']").TextContent.Trim());
    }

    [Fact]
    public void BackendTable_ForAViewer_HasNoButtons()
    {
        var cut = Render<BackendTable>(p => p.Add(t => t.Backends, [Backend("10.0.0.11", BackendAdminState.Enabled, BackendHealth.Up)]));

        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public void DeleteConfirmation_ListsEverythingThatGoes()
    {
        var confirmed = false;
        var plan = new DeletePlan("shop", "198.18.10.5", ["web:80", "tls:443"], 3, [("web", 2)]);
        var cut = Render<DeleteConfirmation>(p => p.Add(c => c.Plan, plan).Add(c => c.OnConfirm, () => confirmed = true));

        Assert.Equal(
            ["the load balancer shop and its VIP 198.18.10.5 (traffic to it stops)", "2 listeners: web:80, tls:443", "3 rules", "the backend group web with 2 backends"],
            cut.FindAll("li").Select(li => li.TextContent));
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Delete all of this").Click();
        Assert.True(confirmed);
    }

    [Fact]
    public void ApplyProgress_SaysHowManyOnlineNodesAppliedTheChange()
    {
        var cut = Render<ApplyProgress>(p => p.Add(a => a.Progress, new LoadBalancerProgress(ProvisioningStatus.Pending, 2, 1, null)));

        Assert.Contains("PENDING", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Applied on 1 of 2 online nodes…", cut.Markup, StringComparison.Ordinal);

        cut.Render(p => p.Add(a => a.Progress, new LoadBalancerProgress(ProvisioningStatus.Active, 2, 2, null)));

        Assert.Contains("ACTIVE", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Applied on 2 of 2 online nodes.", cut.Markup, StringComparison.Ordinal);
    }
}
