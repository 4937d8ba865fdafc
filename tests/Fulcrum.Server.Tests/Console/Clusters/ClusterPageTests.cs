using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Server.Console.Clusters;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Console.Clusters;

/// <summary>The cluster page on the real operations, as an admin: what the operator does there reaches the API's state.</summary>
public sealed class ClusterPageTests : RealOperationsTestContext, IClassFixture<FulcrumFactory>
{
    private readonly FulcrumFactory _factory;
    private readonly List<TestAgent> _agents = [];

    public ClusterPageTests(FulcrumFactory factory)
        : base(factory)
    {
        _factory = factory;
    }

    // Find and click in one turn of the renderer: the page re-renders on its own reloads.
    private static Task ClickAsync(IRenderedComponent<ClusterPage> page, string selector) =>
        page.InvokeAsync(() => page.Find(selector).Click());

    private static Task ClickAsync(IRenderedComponent<ClusterPage> page, string within, string text) =>
        page.InvokeAsync(() => page.Find(within).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == text).Click());

    [Fact]
    public async Task Maintenance_OfTheOnlyNode_ShowsTheApisRefusal_ThenForcedPutsItInMaintenance()
    {
        var cluster = await Seed.ClusterAsync();
        var node = await NodeAsync(cluster, "198.18.90.1", VrrpState.Master);
        var page = Render<ClusterPage>(p => p.Add(c => c.Id, cluster.Id));
        var row = $"[data-testid='node-{node.Name}']";
        page.WaitForElement(row);

        await ClickAsync(page, $"button[aria-label='Put {node.Name} in maintenance']");

        page.WaitForAssertion(() => Assert.Contains(
            $"Not possible now: Node '{node.Id}' is the last node of cluster '{cluster.Id}' that can hold its VIPs", page.Find($"{row} [data-testid='maintenance-refused']").TextContent, StringComparison.Ordinal));
        Assert.False((await Admin.GetAsync<NodeResponse>($"nodes/{node.Id}")).Maintenance);
        await ClickAsync(page, row, "Force maintenance");
        page.WaitForAssertion(() => Assert.Equal("maintenance", page.Find($"{row} [data-testid='maintenance']").TextContent.Trim()));
        Assert.True((await Admin.GetAsync<NodeResponse>($"nodes/{node.Id}")).Maintenance);
    }

    [Fact]
    public async Task FailOver_Confirmed_StartsItOnTheServer_AndShowsItUnderWay()
    {
        var cluster = await Seed.ClusterAsync();
        var master = await NodeAsync(cluster, "198.18.91.1", VrrpState.Master);
        var backup = await NodeAsync(cluster, "198.18.91.2", VrrpState.Backup);
        var page = Render<ClusterPage>(p => p.Add(c => c.Id, cluster.Id));
        page.WaitForElement($"[data-testid='node-{master.Name}']");

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Fail over").Click());
        await ClickAsync(page, "[data-testid='failover-confirmation']", "Fail over now");

        page.WaitForAssertion(() => Assert.Equal(
            $"Failing over from {master.Name} to {backup.Name}", page.Find("[data-testid='failover-under-way']").TextContent.Trim()));
        var failover = (await Admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}")).Failover;
        Assert.Equal((master.Id, backup.Id), (failover?.FromNodeId, failover?.TargetNodeId));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }

        Admin.Dispose();
        await base.DisposeAsyncCore();
    }

    private async Task<NodeResponse> NodeAsync(ClusterResponse cluster, string address, VrrpState state)
    {
        var agent = await TestAgent.JoinAsync(_factory, Admin, cluster.Id, address);
        _agents.Add(agent);
        await agent.ReportAsync(TestAgent.Report(cluster.Revision, state));
        return await Admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}");
    }
}
