using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Tests.Clusters;

/// <summary>A manual failover: every node but the target stands aside until the target reports MASTER.</summary>
public sealed class FailoverApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>, IDisposable
{
    private readonly ApiClient _admin = factory.Admin();
    private readonly List<TestAgent> _agents = [];
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Failover_WithoutTarget_MovesToTheOtherNode_EveryOtherNodeStandsAside_AndIsAudited()
    {
        var (cluster, master, backup) = await TwoNodesAsync();
        var before = await Seed.RevisionAsync(cluster.Id);

        var response = await _admin.PostEmptyAsync($"clusters/{cluster.Id}/failover");

        var accepted = await response.ReadAsync<ClusterResponse>(HttpStatusCode.Accepted);
        Assert.Equal((master.NodeId, backup.NodeId), (accepted.Failover!.FromNodeId, accepted.Failover.TargetNodeId));
        Assert.True(accepted.Revision > before);
        Assert.Equal([master.NodeId], Standby(await master.SnapshotAsync(before)));
        var recorded = (await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceType=cluster&resourceId={cluster.Id}")).Items[0];
        Assert.Equal(("failover", AuditOutcome.Success, 202), (recorded.Action, recorded.Outcome, recorded.Status));
        Assert.Equal(backup.NodeId, (string?)recorded.Changes["failoverTargetNodeId"]);
    }

    [Fact]
    public async Task Failover_TargetReportsMaster_FailoverEnds_NoNodeStandsAsideAnyMore()
    {
        var (cluster, master, backup) = await TwoNodesAsync();
        var started = await (await _admin.PostAsync($"clusters/{cluster.Id}/failover", new { targetNodeId = backup.NodeId }))
            .ReadAsync<ClusterResponse>(HttpStatusCode.Accepted);

        await master.ReportAsync(TestAgent.Report(started.Revision, VrrpState.Fault));
        Assert.NotNull((await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}")).Failover);
        await backup.ReportAsync(TestAgent.Report(started.Revision, VrrpState.Master));

        var ended = await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}");
        Assert.Null(ended.Failover);
        Assert.True(ended.Revision > started.Revision);
        Assert.Empty(Standby(await master.SnapshotAsync(started.Revision)));
    }

    /// <summary>A target that never takes over must not leave the cluster without a MASTER.</summary>
    [Fact]
    public async Task Failover_TargetNeverReportsMaster_GivenUpAfterTheTimeout()
    {
        var (cluster, master, backup) = await TwoNodesAsync();
        var started = await (await _admin.PostEmptyAsync($"clusters/{cluster.Id}/failover")).ReadAsync<ClusterResponse>(HttpStatusCode.Accepted);
        var timeout = factory.Services.GetRequiredService<IOptions<FulcrumServerOptions>>().Value.FailoverTimeout;

        factory.Time.Advance(timeout - TimeSpan.FromSeconds(1));
        await master.ReportAsync(TestAgent.Report(started.Revision, VrrpState.Fault));
        Assert.NotNull((await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}")).Failover);
        factory.Time.Advance(TimeSpan.FromSeconds(2));
        await backup.ReportAsync(TestAgent.Report(started.Revision, VrrpState.Backup));

        Assert.Null((await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}")).Failover);
        Assert.Empty(Standby(await master.SnapshotAsync(started.Revision)));
    }

    [Fact]
    public async Task Failover_ByAMember_Forbidden_AndTheRefusalAudited()
    {
        var (cluster, master, _) = await TwoNodesAsync();
        var project = await Seed.ProjectAsync();
        using var member = factory.As(await Seed.TokenAsync(Role.Member, project.Id));

        await (await member.PostEmptyAsync($"clusters/{cluster.Id}/failover")).ReadProblemAsync(HttpStatusCode.Forbidden);

        Assert.Null((await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}")).Failover);
        Assert.Empty(Standby(await master.SnapshotAsync(0)));
        var recorded = (await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceType=cluster&resourceId={cluster.Id}")).Items[0];
        Assert.Equal(("failover", AuditOutcome.Refused, 403), (recorded.Action, recorded.Outcome, recorded.Status));
    }

    [Fact]
    public async Task Failover_UnknownCluster_NotFound()
    {
        var problem = await (await _admin.PostEmptyAsync("clusters/cl-nothing/failover")).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("cl-nothing", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_TargetUnknownOrOfAnotherCluster_BadRequestNamingTheField()
    {
        var (cluster, _, _) = await TwoNodesAsync();
        var (_, elsewhere, _) = await TwoNodesAsync();

        var unknown = await (await _admin.PostAsync($"clusters/{cluster.Id}/failover", new { targetNodeId = "node-nothing" })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var foreign = await (await _admin.PostAsync($"clusters/{cluster.Id}/failover", new { targetNodeId = elsewhere.NodeId })).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("node-nothing", Assert.Single(unknown.Errors["targetNodeId"]), StringComparison.Ordinal);
        Assert.Contains("not a node of cluster", Assert.Single(foreign.Errors["targetNodeId"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_TargetIsTheMasterOrInMaintenance_Conflict()
    {
        var (cluster, master, backup) = await TwoNodesAsync();

        var toMaster = await (await _admin.PostAsync($"clusters/{cluster.Id}/failover", new { targetNodeId = master.NodeId })).ReadProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostEmptyAsync($"nodes/{backup.NodeId}/maintenance")).ExpectAsync(HttpStatusCode.OK);
        var toMaintenance = await (await _admin.PostAsync($"clusters/{cluster.Id}/failover", new { targetNodeId = backup.NodeId })).ReadProblemAsync(HttpStatusCode.Conflict);
        var toAnyone = await (await _admin.PostEmptyAsync($"clusters/{cluster.Id}/failover")).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("is the MASTER already", toMaster.Detail, StringComparison.Ordinal);
        Assert.Contains("is in maintenance", toMaintenance.Detail, StringComparison.Ordinal);
        Assert.Contains("no other node to take the VIPs", toAnyone.Detail, StringComparison.Ordinal);
        Assert.Null((await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}")).Failover);
    }

    [Fact]
    public async Task Failover_OtherNodeOffline_Conflict()
    {
        var (cluster, master, backup) = await TwoNodesAsync();
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        await master.ReportAsync(TestAgent.Report(0, VrrpState.Master));

        var problem = await (await _admin.PostAsync($"clusters/{cluster.Id}/failover", new { targetNodeId = backup.NodeId })).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("is offline", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_NoMasterOnline_Conflict()
    {
        var cluster = await Seed.ClusterAsync();
        using var node = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.31");
        await node.ReportAsync(TestAgent.Report(0, VrrpState.Backup));

        var problem = await (await _admin.PostEmptyAsync($"clusters/{cluster.Id}/failover")).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("no online MASTER", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_AlreadyUnderWay_Conflict()
    {
        var (cluster, _, _) = await TwoNodesAsync();
        await (await _admin.PostEmptyAsync($"clusters/{cluster.Id}/failover")).ExpectAsync(HttpStatusCode.Accepted);

        var problem = await (await _admin.PostEmptyAsync($"clusters/{cluster.Id}/failover")).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("is under way", problem.Detail, StringComparison.Ordinal);
    }

    /// <summary>A cluster that preempts would take the VIPs straight back to its node of highest priority.</summary>
    [Fact]
    public async Task Failover_ClusterPreempts_ConflictPointingAtMaintenance()
    {
        var cluster = await _admin.CreateAsync<ClusterResponse>("clusters", new { name = "preempting", vrrp = new { virtualRouterId = Seed.NextRouterId(), preempt = true } });
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.41");
        using var backup = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.42");
        await master.ReportAsync(TestAgent.Report(0, VrrpState.Master));
        await backup.ReportAsync(TestAgent.Report(0, VrrpState.Backup));

        var problem = await (await _admin.PostEmptyAsync($"clusters/{cluster.Id}/failover")).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("maintenance", problem.Detail, StringComparison.Ordinal);
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
