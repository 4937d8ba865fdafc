using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Nodes;

/// <summary>A node in maintenance stands aside (its VIPs go to the others) until an admin releases it.</summary>
public sealed class MaintenanceApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>, IDisposable
{
    private readonly ApiClient _admin = factory.Admin();
    private readonly List<TestAgent> _agents = [];
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Maintenance_OnThenOff_ShownOnTheNode_StandsAsideInTheSnapshotMeanwhile_BothAudited()
    {
        var (cluster, master, _) = await TwoNodesAsync();
        var before = await Seed.RevisionAsync(cluster.Id);

        var on = await (await _admin.PostEmptyAsync($"nodes/{master.NodeId}/maintenance")).ReadAsync<NodeResponse>(HttpStatusCode.OK);
        var during = await master.SnapshotAsync(before);
        var off = await (await _admin.DeleteAsync($"nodes/{master.NodeId}/maintenance")).ReadAsync<NodeResponse>(HttpStatusCode.OK);
        var after = await master.SnapshotAsync(during.Revision);

        Assert.True(on.Maintenance);
        Assert.False(off.Maintenance);
        Assert.Equal([master.NodeId], Standby(during));
        Assert.Empty(Standby(after));
        Assert.False((await _admin.GetAsync<NodeResponse>($"nodes/{master.NodeId}")).Maintenance);
        var recorded = (await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceType=node&resourceId={master.NodeId}")).Items;
        Assert.Equal([("release", 200), ("maintenance", 200)], recorded.Take(2).Select(e => (e.Action, e.Status)));
        Assert.Equal(true, (bool?)recorded[1].Changes["maintenance"]);
    }

    [Fact]
    public async Task Maintenance_Repeated_ChangesNothing()
    {
        var (cluster, master, _) = await TwoNodesAsync();
        await (await _admin.PostEmptyAsync($"nodes/{master.NodeId}/maintenance")).ExpectAsync(HttpStatusCode.OK);
        var revision = await Seed.RevisionAsync(cluster.Id);

        var again = await (await _admin.PostEmptyAsync($"nodes/{master.NodeId}/maintenance")).ReadAsync<NodeResponse>(HttpStatusCode.OK);

        Assert.True(again.Maintenance);
        Assert.Equal(revision, await Seed.RevisionAsync(cluster.Id));
    }

    /// <summary>The last node that could hold the VIPs: in maintenance, no node would serve the load balancers.</summary>
    [Fact]
    public async Task Maintenance_LastNodeThatCanHoldTheVips_ConflictUnlessForced()
    {
        var (cluster, master, backup) = await TwoNodesAsync();
        await (await _admin.PostEmptyAsync($"nodes/{backup.NodeId}/maintenance")).ExpectAsync(HttpStatusCode.OK);
        var revision = await Seed.RevisionAsync(cluster.Id);

        var refused = await (await _admin.PostEmptyAsync($"nodes/{master.NodeId}/maintenance")).ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("last node", refused.Detail, StringComparison.Ordinal);
        Assert.False((await _admin.GetAsync<NodeResponse>($"nodes/{master.NodeId}")).Maintenance);
        Assert.Equal(revision, await Seed.RevisionAsync(cluster.Id));

        var forced = await (await _admin.PostEmptyAsync($"nodes/{master.NodeId}/maintenance?force=true")).ReadAsync<NodeResponse>(HttpStatusCode.OK);
        Assert.True(forced.Maintenance);
    }

    [Fact]
    public async Task Maintenance_OtherNodeOffline_ConflictUnlessForced()
    {
        var (_, master, _) = await TwoNodesAsync();
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        await master.ReportAsync(TestAgent.Report(0, VrrpState.Master));

        await (await _admin.PostEmptyAsync($"nodes/{master.NodeId}/maintenance")).ReadProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostEmptyAsync($"nodes/{master.NodeId}/maintenance?force=true")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Maintenance_ByAMember_Forbidden_UnknownNode_NotFound()
    {
        var (_, master, _) = await TwoNodesAsync();
        var project = await Seed.ProjectAsync();
        using var member = factory.As(await Seed.TokenAsync(Role.Member, project.Id));

        await (await member.PostEmptyAsync($"nodes/{master.NodeId}/maintenance")).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await member.DeleteAsync($"nodes/{master.NodeId}/maintenance")).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await _admin.PostEmptyAsync("nodes/node-nothing/maintenance")).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.False((await _admin.GetAsync<NodeResponse>($"nodes/{master.NodeId}")).Maintenance);
    }

    /// <summary>The node a failover moves the VIPs to is not to take them once it is in maintenance.</summary>
    [Fact]
    public async Task Maintenance_OfTheFailoverTarget_EndsTheFailover()
    {
        var (cluster, master, backup) = await TwoNodesAsync();
        await (await _admin.PostEmptyAsync($"clusters/{cluster.Id}/failover")).ExpectAsync(HttpStatusCode.Accepted);

        await (await _admin.PostEmptyAsync($"nodes/{backup.NodeId}/maintenance?force=true")).ExpectAsync(HttpStatusCode.OK);

        Assert.Null((await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}")).Failover);
        Assert.Equal([backup.NodeId], Standby(await master.SnapshotAsync(0)));
    }

    public void Dispose()
    {
        _agents.ForEach(agent => agent.Dispose());
        _admin.Dispose();
    }

    private static string[] Standby(ClusterSnapshot snapshot) => [.. snapshot.Nodes.Where(n => n.Standby == true).Select(n => n.Id)];

    /// <summary>A cluster of two reporting nodes: the first MASTER, the second BACKUP.</summary>
    private async Task<(ClusterResponse Cluster, TestAgent Master, TestAgent Backup)> TwoNodesAsync()
    {
        var cluster = await Seed.ClusterAsync();
        var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.21");
        var backup = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.22");
        _agents.AddRange(master, backup);
        await master.ReportAsync(TestAgent.Report(0, VrrpState.Master));
        await backup.ReportAsync(TestAgent.Report(0, VrrpState.Backup));
        return (cluster, master, backup);
    }
}
