using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Listeners;

public sealed class ListenerStatsApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Stats_ReportedByTwoNodes_ShowEachAndTheirTotals_ToTheProjectOnly()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var a = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.101");
        using var b = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.102");
        var tree = await Seed.TreeAsync(project, cluster, "198.18.98.1");
        using var member = factory.As(await Seed.TokenAsync(Role.Member, project.Id));
        using var viewer = factory.As(await Seed.TokenAsync(Role.Viewer, project.Id));
        using var stranger = factory.As(await Seed.TokenAsync(Role.Member, (await Seed.ProjectAsync("other")).Id));

        await a.ReportAsync(TestAgent.Report(1, VrrpState.Master, listeners: [new(tree.Listener.Id, 7, 100, 1_000, 2_000, new(1, 90, 4, 2, 3, 0))]));
        await b.ReportAsync(TestAgent.Report(1, VrrpState.Backup, listeners: [new(tree.Listener.Id, 0, 4, 10, 20, new(0, 4, 0, 0, 0, 0))]));
        var stats = await member.GetAsync<ListenerStatsResponse>($"listeners/{tree.Listener.Id}/stats");

        Assert.Equal(tree.Listener.Id, stats.ListenerId);
        Assert.Equal([(a.NodeId, 7L, 100L), (b.NodeId, 0L, 4L)], stats.Nodes.Select(n => (n.NodeId, n.CurrentConnections, n.TotalConnections)));
        Assert.All(stats.Nodes, n => Assert.True(n.Online));
        Assert.Equal(new ListenerStatsTotals(7, 104, 1_010, 2_020, new HttpResponseCounts(1, 94, 4, 2, 3, 0)), stats.Totals);
        Assert.Equal(stats.Totals, (await viewer.GetAsync<ListenerStatsResponse>($"listeners/{tree.Listener.Id}/stats")).Totals);
        Assert.Equal(stats.Totals, (await _admin.GetAsync<ListenerStatsResponse>($"listeners/{tree.Listener.Id}/stats")).Totals);
        await (await stranger.GetAsync($"listeners/{tree.Listener.Id}/stats")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await member.GetAsync("listeners/lsn-unknown/stats")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Stats_OfANodeGoneOffline_AreShownButLeftOutOfTheTotals()
    {
        var cluster = await Seed.ClusterAsync();
        using var a = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.103");
        using var b = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.104");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.98.2");

        await a.ReportAsync(TestAgent.Report(1, VrrpState.Master, listeners: [new(tree.Listener.Id, 1, 10, 100, 1_000)]));
        factory.Time.Advance(TimeSpan.FromSeconds(16));
        await b.ReportAsync(TestAgent.Report(1, VrrpState.Master, listeners: [new(tree.Listener.Id, 2, 20, 200, 2_000)]));
        var stats = await _admin.GetAsync<ListenerStatsResponse>($"listeners/{tree.Listener.Id}/stats");

        Assert.Equal([(a.NodeId, false), (b.NodeId, true)], stats.Nodes.Select(n => (n.NodeId, n.Online)));
        Assert.Equal(new ListenerStatsTotals(2, 20, 200, 2_000, HttpResponseCounts.Zero), stats.Totals);
    }

    [Fact]
    public async Task Stats_OfAListenerTheNodeNoLongerReports_AreDropped()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.105");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.98.3");
        var udp = await Seed.ListenerAsync(tree.LoadBalancer, "udp", 53, tree.Group.Id);

        await agent.ReportAsync(TestAgent.Report(1, VrrpState.Master, listeners: [new(tree.Listener.Id, 1, 1, 1, 1), new(udp.Id, 2, 2, 2, 2)]));
        await agent.ReportAsync(TestAgent.Report(1, VrrpState.Master, listeners: [new(udp.Id, 3, 3, 3, 3)]));

        Assert.Empty((await _admin.GetAsync<ListenerStatsResponse>($"listeners/{tree.Listener.Id}/stats")).Nodes);
        Assert.Equal(3, Assert.Single((await _admin.GetAsync<ListenerStatsResponse>($"listeners/{udp.Id}/stats")).Nodes).TotalConnections);
    }

    [Fact]
    public async Task Stats_GoWithTheListenerAndTheNode()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.106");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.98.4");
        var udp = await Seed.ListenerAsync(tree.LoadBalancer, "udp", 53, tree.Group.Id);
        await agent.ReportAsync(TestAgent.Report(1, VrrpState.Master, listeners: [new(tree.Listener.Id, 1, 1, 1, 1), new(udp.Id, 2, 2, 2, 2)]));

        await (await _admin.DeleteAsync($"listeners/{udp.Id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await _admin.DeleteAsync($"nodes/{agent.NodeId}")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Empty((await _admin.GetAsync<ListenerStatsResponse>($"listeners/{tree.Listener.Id}/stats")).Nodes);
    }

    [Fact]
    public async Task Stats_NearTheLimitOfLong_TotalWithoutWrappingNegative()
    {
        var cluster = await Seed.ClusterAsync();
        using var a = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.107");
        using var b = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.108");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.98.5");

        await a.ReportAsync(TestAgent.Report(1, VrrpState.Master, listeners: [new(tree.Listener.Id, 0, long.MaxValue, 0, 0)]));
        await b.ReportAsync(TestAgent.Report(1, VrrpState.Backup, listeners: [new(tree.Listener.Id, 0, long.MaxValue, 0, 0)]));

        Assert.Equal(long.MaxValue, (await _admin.GetAsync<ListenerStatsResponse>($"listeners/{tree.Listener.Id}/stats")).Totals.TotalConnections);
    }
}
