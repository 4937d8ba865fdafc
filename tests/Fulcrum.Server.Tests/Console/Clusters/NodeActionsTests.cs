using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Server.Console.Clusters;
using Fulcrum.Server.Http;
using MudBlazor;

namespace Fulcrum.Server.Tests.Console.Clusters;

/// <summary>The cluster page's operator actions: maintenance per node and a manual failover, each with the API's refusals shown.</summary>
public sealed class NodeActionsTests : ConsoleTestContext
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    private static readonly ClusterResponse Cluster = new(
        "cls-1", "edge", "", new VrrpSpec(61, 200, false, true), [], [32], [], 7, At, At);

    private readonly IRenderedComponent<MudPopoverProvider> _popovers;

    public NodeActionsTests() => _popovers = Render<MudPopoverProvider>();

    private static NodeResponse Node(string name, VrrpState state, int priority, bool maintenance = false, bool online = true) =>
        new($"nod-{name}", Cluster.Id, name, "198.18.0.1", "eth0", priority, state, 7, online, At, null, new NodeVersions(null, null, null, null), At, At, Maintenance: maintenance);

    private static readonly IReadOnlyList<NodeResponse> ThreeNodes =
        [Node("lb-1", VrrpState.Master, 150), Node("lb-2", VrrpState.Backup, 120), Node("lb-3", VrrpState.Backup, 100)];

    // Find and click in one turn of the renderer: a click re-renders asynchronously, and a button found before that
    // re-render carries an event handler the new tree no longer has.
    private static void Click<T>(IRenderedComponent<T> cut, string text)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == text).Click()).GetAwaiter().GetResult();

    [Fact]
    public void NodeState_ShowsMaintenanceAndOfflineBesideTheVrrpState_OnlyWhenSo()
    {
        var cut = Render<NodeState>(p => p.Add(s => s.Node, Node("lb-1", VrrpState.Fault, 150, maintenance: true)));

        Assert.Equal("FAULT", cut.Find("[data-testid='state']").TextContent.Trim());
        Assert.Equal("maintenance", cut.Find("[data-testid='maintenance']").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid='offline']"));
        cut.Render(p => p.Add(s => s.Node, Node("lb-1", VrrpState.Backup, 150, online: false)));
        Assert.Empty(cut.FindAll("[data-testid='maintenance']"));
        Assert.Equal("offline", cut.Find("[data-testid='offline']").TextContent.Trim());
    }

    [Fact]
    public void Maintenance_OnAndOff_CallsTheOperationWithoutForce()
    {
        var calls = new List<(bool Maintenance, bool Force)>();
        var cut = Render<MaintenanceAction>(p => p
            .Add(a => a.Node, Node("lb-2", VrrpState.Backup, 120))
            .Add(a => a.OnSet, (m, f) => { calls.Add((m, f)); return Task.CompletedTask; }));

        Click(cut, "Maintenance");
        cut.Render(p => p.Add(a => a.Node, Node("lb-2", VrrpState.Fault, 120, maintenance: true)));
        Click(cut, "End maintenance");

        Assert.Equal([(true, false), (false, false)], calls);
        Assert.Empty(cut.FindAll("[data-testid='maintenance-refused']"));
    }

    [Fact]
    public void Maintenance_TheLastNode_ShowsTheApisMessage_AndForcesOnlyWhenAskedTo()
    {
        var calls = new List<(bool Maintenance, bool Force)>();
        var cut = Render<MaintenanceAction>(p => p
            .Add(a => a.Node, Node("lb-1", VrrpState.Master, 150))
            .Add(a => a.OnSet, (m, f) =>
            {
                calls.Add((m, f));
                return f ? Task.CompletedTask : throw ProblemException.Conflict("Node 'nod-lb-1' is the last node of cluster 'cls-1' that can hold its VIPs.");
            }));

        Click(cut, "Maintenance");

        Assert.Contains("Not possible now: Node 'nod-lb-1' is the last node of cluster 'cls-1' that can hold its VIPs.", cut.Find("[data-testid='maintenance-refused']").TextContent, StringComparison.Ordinal);
        Assert.Equal([(true, false)], calls);
        Click(cut, "Force maintenance");
        Assert.Equal([(true, false), (true, true)], calls);
        Assert.Empty(cut.FindAll("[data-testid='maintenance-refused']"));
    }

    [Fact]
    public void Maintenance_RefusedForAnotherReason_ShowsItWithoutOfferingForce()
    {
        var cut = Render<MaintenanceAction>(p => p
            .Add(a => a.Node, Node("lb-1", VrrpState.Master, 150))
            .Add(a => a.OnSet, (_, _) => throw ProblemException.Forbidden("Only an admin may do this.")));

        Click(cut, "Maintenance");

        Assert.Contains("Not allowed: Only an admin may do this.", cut.Find("[data-testid='maintenance-problem']").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Force maintenance");
    }

    [Fact]
    public async Task Failover_AsksFirst_ThenMovesToTheNodePicked()
    {
        var targets = new List<string?>();
        var cut = Render<FailoverAction>(p => p
            .Add(a => a.Cluster, Cluster)
            .Add(a => a.Nodes, ThreeNodes)
            .Add(a => a.OnFailover, t => { targets.Add(t); return Task.CompletedTask; }));

        Click(cut, "Fail over");

        Assert.Contains("Move the VIPs off lb-1 now?", cut.Find("[data-testid='failover-confirmation']").TextContent, StringComparison.Ordinal);
        Assert.Empty(targets);
        await cut.InvokeAsync(() => cut.Find(".mud-select .mud-input-control").MouseDown());
        await _popovers.InvokeAsync(() => _popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("lb-3", StringComparison.Ordinal)).Click());
        Click(cut, "Fail over now");

        Assert.Equal(["nod-lb-3"], targets);
        Assert.Empty(cut.FindAll("[data-testid='failover-confirmation']"));
    }

    [Fact]
    public void Failover_ConfirmedWithoutPicking_LeavesTheChoiceToTheServer_AndCancelCallsNothing()
    {
        var targets = new List<string?>();
        var cut = Render<FailoverAction>(p => p
            .Add(a => a.Cluster, Cluster)
            .Add(a => a.Nodes, ThreeNodes)
            .Add(a => a.OnFailover, t => { targets.Add(t); return Task.CompletedTask; }));

        Click(cut, "Fail over");
        Click(cut, "Cancel");
        Assert.Empty(targets);
        Click(cut, "Fail over");
        Click(cut, "Fail over now");

        Assert.Equal([null], targets);
    }

    [Fact]
    public void Failover_Refused_ShowsTheApisMessage()
    {
        var cut = Render<FailoverAction>(p => p
            .Add(a => a.Cluster, Cluster)
            .Add(a => a.Nodes, ThreeNodes)
            .Add(a => a.OnFailover, _ => throw ProblemException.Conflict("Cluster 'cls-1' preempts: its node of highest priority would take the VIPs back at once.")));

        Click(cut, "Fail over");
        Click(cut, "Fail over now");

        Assert.Contains("Not possible now: Cluster 'cls-1' preempts", cut.Find("[data-testid='failover-problem']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Failover_UnderWay_ShowsFromWhichNodeToWhich_AndCannotBeStartedAgain()
    {
        var cut = Render<FailoverAction>(p => p
            .Add(a => a.Cluster, Cluster with { Failover = new FailoverStatus("nod-lb-1", "nod-lb-2", At) })
            .Add(a => a.Nodes, ThreeNodes)
            .Add(a => a.OnFailover, _ => Task.CompletedTask));

        Assert.Equal("Failing over from lb-1 to lb-2", cut.Find("[data-testid='failover-under-way']").TextContent.Trim());
        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Trim() == "Fail over").HasAttribute("disabled"));
    }
}
