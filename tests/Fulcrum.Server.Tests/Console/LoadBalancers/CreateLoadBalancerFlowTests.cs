using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Server.Console.LoadBalancers;
using MudBlazor;

namespace Fulcrum.Server.Tests.Console.LoadBalancers;

public sealed class CreateLoadBalancerFlowTests : ConsoleTestContext
{
    private static readonly ClusterResponse Cluster = new(
        "cls-1", "edge", "", new VrrpSpec(null, null, null, null), ["198.18.10.0/24"], [24], [], 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private readonly List<LoadBalancerDraft> _created = [];

    private FormOutcome _answer = FormOutcome.Success;

    public CreateLoadBalancerFlowTests() => Render<MudPopoverProvider>();

    private IRenderedComponent<CreateLoadBalancerFlow> Flow(LoadBalancerDraft draft) => Render<CreateLoadBalancerFlow>(p => p
        .Add(f => f.Draft, draft)
        .Add(f => f.Clusters, [Cluster])
        .Add(f => f.OnCreate, d =>
        {
            _created.Add(d);
            return Task.FromResult(_answer);
        }));

    private static LoadBalancerDraft Filled()
    {
        var draft = new LoadBalancerDraft { Name = "shop", ClusterId = Cluster.Id };
        draft.Backends[0].Address = "10.0.0.11";
        draft.Backends.Add(new BackendDraft { Address = "10.0.0.12" });
        return draft;
    }

    // Find and click in one turn of the renderer: a field's change re-renders asynchronously, and a button found
    // before that re-render carries an event handler the new tree no longer has.
    private static void Click(IRenderedComponent<CreateLoadBalancerFlow> cut, string text) =>
        cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == text).Click()).GetAwaiter().GetResult();

    private static string? ErrorNextTo(IRenderedComponent<CreateLoadBalancerFlow> cut, string field) =>
        cut.Find($"[data-field='{field}']").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();

    [Fact]
    public void Next_OnEmptyDetails_NamesTheMissingFields_AndStays()
    {
        var cut = Flow(new LoadBalancerDraft());

        Click(cut, "Next");

        Assert.Equal("is required.", ErrorNextTo(cut, "name"));
        Assert.Contains("Pick the cluster", ErrorNextTo(cut, "clusterId"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-field='listeners[0].port']"));
    }

    [Fact]
    public void Next_WithABadPort_ShowsTheApisRuleNextToThePort()
    {
        var cut = Flow(Filled());
        Click(cut, "Next");

        cut.Find("[data-field='listeners[0].port']").Change("0");
        Click(cut, "Next");

        // The field re-renders with the API's rule once its new value is bound: wait for it rather than read it at once.
        cut.WaitForAssertion(() => Assert.Contains("between 1 and 65535", ErrorNextTo(cut, "listeners[0].port"), StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-backend]"));
    }

    [Fact]
    public void Create_RefusedOnAField_ReturnsToItsStep_AndShowsTheMessageThere()
    {
        _answer = new FormOutcome(new Dictionary<string, string[]> { ["backendGroups[0].backends[1].address"] = ["is outside the cluster's backend ranges."] }, null);
        var cut = Flow(Filled());
        Click(cut, "Next");
        Click(cut, "Next");
        Click(cut, "Next");

        Click(cut, "Create load balancer");

        Assert.Single(_created);
        Assert.Equal("is outside the cluster's backend ranges.", ErrorNextTo(cut, "backendGroups[0].backends[1].address"));
        Assert.Null(ErrorNextTo(cut, "backendGroups[0].backends[0].address"));
    }

    [Fact]
    public void Review_ListsTheTree_AndARefusalWithoutAFieldStaysThere()
    {
        _answer = new FormOutcome(new Dictionary<string, string[]>(), "The project's quota of load balancers (5) is used up.");
        var cut = Flow(Filled());
        Click(cut, "Next");
        Click(cut, "Next");
        Click(cut, "Next");

        Assert.Contains("10.0.0.11:8080, 10.0.0.12:8080", cut.Find("[data-review]").TextContent, StringComparison.Ordinal);
        Click(cut, "Create load balancer");

        Assert.Contains("quota", cut.Find("[data-failure]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLogSwitch_TurnedOn_TheCreatedListenerLogs_AndAUdpListenerLeavesItOut()
    {
        var cut = Flow(Filled());
        Click(cut, "Next");

        await cut.InvokeAsync(() => cut.Find("input[data-field='listeners[0].accessLog']").Change(true));
        Click(cut, "Next");
        Click(cut, "Next");
        Click(cut, "Create load balancer");

        var created = Assert.Single(_created);
        Assert.Equal(true, Assert.Single(created.ToTreeRequest("prj-1").Listeners!).AccessLog);
        created.Listener.Protocol = ListenerProtocol.Udp;
        Assert.Null(created.ToListenerRequest("lb-1", "bg-1").AccessLog);
    }

    [Fact]
    public void Draft_BecomesTheRequestsTheApiTakes_WithoutOptionsTheProtocolHasNoUseFor()
    {
        var draft = Filled();
        draft.Listener.Protocol = ListenerProtocol.Tcp;
        draft.Listener.HealthCheck = HealthCheckType.Tcp;
        draft.Backends[1].Backup = true;

        var listener = draft.ToListenerRequest("lb-1", "bg-1");

        Assert.Empty(Enumerable.Range(0, 3).SelectMany(draft.Check));
        Assert.Equal((ListenerProtocol.Tcp, 80, (bool?)null, (HttpCheckSpec?)null), (listener.Protocol!.Value, listener.Port!.Value, listener.ForwardedHeaders, listener.HealthCheck!.Http));
        Assert.Equal([("10.0.0.11", false), ("10.0.0.12", true)], draft.Backends.Select((_, i) => draft.ToBackendRequest(i, "bg-1")).Select(b => (b.Address!, b.Backup!.Value)));
        Assert.Equal(LoadBalancerDraft.ListenerStep, LoadBalancerDraft.StepOf("listeners[0].healthCheck.http.path"));
        Assert.Equal(LoadBalancerDraft.ReviewStep, LoadBalancerDraft.StepOf("projectId"));
    }
}
