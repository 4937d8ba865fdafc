using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Agent;

public sealed class HeartbeatTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private static readonly TimeSpan OfflineAfter = TimeSpan.FromSeconds(15);

    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Heartbeat_MakesTheNodeOnline_ThenOfflineWhenTheyStop()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.81");
        var revision = await Seed.RevisionAsync(cluster.Id);
        var before = await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}");

        await agent.ReportAsync(TestAgent.Report(applied: revision, VrrpState.Master));
        var online = await _admin.GetAsync($"nodes/{agent.NodeId}");
        factory.Time.Advance(OfflineAfter + TimeSpan.FromSeconds(1));
        var offline = await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}");

        var seen = await online.ReadAsync<NodeResponse>(HttpStatusCode.OK);
        Assert.False(before.Online);
        Assert.True(seen.Online);
        Assert.Equal((VrrpState.Master, revision, (string?)null), (seen.VrrpState, seen.AppliedRevision, seen.LastError));
        Assert.Equal(new NodeVersions("0.1.0", "2.6.12", "1.22.1", "2.2.7"), seen.Versions);
        Assert.NotNull(seen.LastSeenAt);
        Assert.Equal(before.UpdatedAt, seen.UpdatedAt);
        Assert.Equal(revision, await Seed.RevisionAsync(cluster.Id));
        Assert.False(offline.Online);
        Assert.Equal(VrrpState.Unknown, offline.VrrpState);
    }

    [Fact]
    public async Task Heartbeat_TwoNodesClaimingMaster_ShownAsASplitBrainOnTheCluster_UntilOneStepsDown()
    {
        var cluster = await Seed.ClusterAsync();
        using var a = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.96");
        using var b = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.97");
        var revision = await Seed.RevisionAsync(cluster.Id);

        await a.ReportAsync(TestAgent.Report(applied: revision, VrrpState.Master));
        await b.ReportAsync(TestAgent.Report(applied: revision, VrrpState.Master));
        var split = await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}");
        var listed = (await _admin.GetAsync<Page<ClusterResponse>>("clusters?limit=500")).Items.Single(c => c.Id == cluster.Id);
        await b.ReportAsync(TestAgent.Report(applied: revision, VrrpState.Backup));
        var healed = await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}");

        Assert.True(split.SplitBrain);
        Assert.Equal(new[] { a.NodeId, b.NodeId }.Order(), split.Masters!.Order());
        Assert.True(listed.SplitBrain);
        Assert.False(healed.SplitBrain);
        Assert.Equal([a.NodeId], healed.Masters);
    }

    [Fact]
    public async Task Heartbeat_KeepsTheNodesETag_SoAnAdminsIfMatchStillHolds()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.82");
        var etag = (await _admin.GetAsync($"nodes/{agent.NodeId}")).Headers.ETag!.ToString();

        await agent.ReportAsync(TestAgent.Report(applied: 1));
        var update = await _admin.PutAsync($"nodes/{agent.NodeId}", new { name = "lb-a", @interface = "eth0", priority = 100 }, ifMatch: etag);

        Assert.Equal("lb-a", (await update.ReadAsync<NodeResponse>(HttpStatusCode.OK)).Name);
    }

    [Fact]
    public async Task Nodes_List_ShowsWhichNodeIsMaster()
    {
        var cluster = await Seed.ClusterAsync();
        using var a = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.83");
        using var b = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.84");

        await a.ReportAsync(TestAgent.Report(applied: 1, VrrpState.Backup));
        await b.ReportAsync(TestAgent.Report(applied: 1, VrrpState.Master));
        var nodes = await _admin.GetAsync<Page<NodeResponse>>($"nodes?clusterId={cluster.Id}");

        Assert.Equal([(a.NodeId, VrrpState.Backup), (b.NodeId, VrrpState.Master)], nodes.Items.Select(n => (n.Id, n.VrrpState)));
    }

    [Fact]
    public async Task Heartbeat_WithAFailedRevision_MakesTheLoadBalancerProvisioningError()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.85");
        var served = await Seed.RevisionAsync(cluster.Id);
        var lb = await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), cluster, "198.18.97.1");
        var refused = await Seed.RevisionAsync(cluster.Id);

        await agent.ReportAsync(TestAgent.Report(applied: served, VrrpState.Master, failedRevision: refused, error: "[ALERT] config : parsing [/run/fulcrum/haproxy.cfg:12] : unknown keyword"));
        var failed = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}");
        var node = await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}");
        await agent.ReportAsync(TestAgent.Report(applied: refused, VrrpState.Master));
        var recovered = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}");

        Assert.Equal((ProvisioningStatus.Error, OperatingStatus.Error), (failed.ProvisioningStatus, failed.OperatingStatus));
        Assert.Equal("[ALERT] config : parsing [/run/fulcrum/haproxy.cfg:12] : unknown keyword", node.LastError);
        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Online), (recovered.ProvisioningStatus, recovered.OperatingStatus));
        Assert.Null((await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}")).LastError);
    }

    /// <summary>A transient failure is the node's, not the load balancer's: PENDING while the node retries, the node showing why.</summary>
    [Fact]
    public async Task Heartbeat_WithARetriedFailure_LeavesTheLoadBalancerPending_TheNodeShowingTheError()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.86");
        var served = await Seed.RevisionAsync(cluster.Id);
        var lb = await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), cluster, "198.18.97.2");
        var retried = await Seed.RevisionAsync(cluster.Id);
        const string message = "haproxy did not confirm the reload within 10 s";

        await agent.ReportAsync(TestAgent.Report(applied: served, VrrpState.Master, failedRevision: retried, error: message) with { LastErrorRetried = true });
        var pending = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}");
        var node = await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}");

        Assert.Equal((ProvisioningStatus.Pending, (string?)null), (pending.ProvisioningStatus, pending.Error));
        Assert.Equal((message, true), (node.LastError, node.LastErrorRetried));
    }

    /// <summary>A node serving the revision but one load balancer of it: that one is ERROR with the message, its neighbour ACTIVE.</summary>
    [Fact]
    public async Task Heartbeat_WithALoadBalancerRefused_OnlyThatOneIsErrorWithTheMessage_UntilItChanges()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.95");
        var project = await Seed.ProjectAsync();
        var culprit = await Seed.LoadBalancerAsync(project, cluster, "198.18.97.11");
        var neighbour = await Seed.LoadBalancerAsync(project, cluster, "198.18.97.12");
        var revision = await Seed.RevisionAsync(cluster.Id);
        const string message = "listener lsn-x (198.18.97.11:8443): the port is already in use on the node, by another process";

        await agent.ReportAsync(TestAgent.Report(applied: revision, VrrpState.Master) with { LoadBalancerErrors = [new(culprit.Id, revision, message)] });
        var failed = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{culprit.Id}");
        var other = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{neighbour.Id}");
        var node = await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}");
        await _admin.UpdateAsync<LoadBalancerResponse>($"load-balancers/{culprit.Id}", new { projectId = project.Id, clusterId = cluster.Id, name = "fixed", vip = culprit.Vip, enabled = false });
        var changed = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{culprit.Id}");

        Assert.Equal((ProvisioningStatus.Error, OperatingStatus.Error, message), (failed.ProvisioningStatus, failed.OperatingStatus, failed.Error));
        Assert.Equal((ProvisioningStatus.Active, (string?)null), (other.ProvisioningStatus, other.Error));
        Assert.Null(node.LastError);
        Assert.Equal((ProvisioningStatus.Pending, (string?)null), (changed.ProvisioningStatus, changed.Error));
    }

    [Fact]
    public async Task Heartbeat_FromTheMaster_BackendsDown_MakeTheLoadBalancerErrorOrDegraded()
    {
        var cluster = await Seed.ClusterAsync();
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.86");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.97.2");
        var revision = await Seed.RevisionAsync(cluster.Id);
        var (first, second) = (tree.Backends[0].Id, tree.Backends[1].Id);

        await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: [new(first, BackendHealth.Down), new(second, BackendHealth.Down)]));
        var allDown = await StatusAsync(tree.LoadBalancer.Id);
        await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: [new(first, BackendHealth.Up), new(second, BackendHealth.Down)]));
        var someDown = await StatusAsync(tree.LoadBalancer.Id);
        var backend = await _admin.GetAsync<BackendResponse>($"backends/{second}");
        await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: [new(first, BackendHealth.Up), new(second, BackendHealth.Up)]));
        var allUp = await StatusAsync(tree.LoadBalancer.Id);

        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Error), allDown);
        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Degraded), someDown);
        Assert.Equal(BackendHealth.Down, backend.Health);
        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Online), allUp);
    }

    [Fact]
    public async Task Heartbeat_FromABackupWhileTheMasterIsOnline_LeavesBackendHealthAlone()
    {
        var cluster = await Seed.ClusterAsync();
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.87");
        using var backup = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.88");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.97.3");
        var revision = await Seed.RevisionAsync(cluster.Id);
        var allUp = tree.Backends.Select(b => new BackendHealthReport(b.Id, BackendHealth.Up)).ToList();
        var allDown = tree.Backends.Select(b => new BackendHealthReport(b.Id, BackendHealth.Down)).ToList();

        await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: allUp));
        await backup.ReportAsync(TestAgent.Report(revision, VrrpState.Backup, backends: allDown));
        var whileMasterOnline = await StatusAsync(tree.LoadBalancer.Id);
        factory.Time.Advance(OfflineAfter + TimeSpan.FromSeconds(1));
        await backup.ReportAsync(TestAgent.Report(revision, VrrpState.Backup, backends: allDown));
        var afterMasterLeft = await StatusAsync(tree.LoadBalancer.Id);

        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Online), whileMasterOnline);
        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Error), afterMasterLeft);
    }

    [Fact]
    public async Task Heartbeat_BackendsLeftOutOfTheReport_BecomeUnknown()
    {
        var cluster = await Seed.ClusterAsync();
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.89");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.97.4");
        var revision = await Seed.RevisionAsync(cluster.Id);

        await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: tree.Backends.Select(b => new BackendHealthReport(b.Id, BackendHealth.Down)).ToList()));
        await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: [new(tree.Backends[0].Id, BackendHealth.Down)]));
        var backends = await _admin.GetAsync<Page<BackendResponse>>($"backends?backendGroupId={tree.Group.Id}");

        Assert.Equal([BackendHealth.Down, BackendHealth.Unknown], backends.Items.Select(b => b.Health));
        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Error), await StatusAsync(tree.LoadBalancer.Id));
    }

    /// <summary>15,000 backends: a whole report of the first 10,000, then a report of changes with the rest, at once.</summary>
    [Fact]
    public async Task Heartbeat_PictureLargerThanOneReport_SplitIntoAWholeReportAndChanges_AllShown()
    {
        var cluster = await Seed.ClusterAsync();
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.96");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.97.8");
        var revision = await Seed.RevisionAsync(cluster.Id);
        var others = Enumerable.Range(0, 15_000 - tree.Backends.Length).Select(i => new BackendHealthReport($"be-{i:d16}", BackendHealth.Up));
        List<BackendHealthReport> picture = [.. others, new(tree.Backends[0].Id, BackendHealth.Up), new(tree.Backends[1].Id, BackendHealth.Down)];

        var whole = await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: picture[..NodeReports.MaxEntries]));
        var rest = await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: picture[NodeReports.MaxEntries..]) with { Changes = true });
        var node = await _admin.GetAsync<NodeResponse>($"nodes/{master.NodeId}");
        var backends = await _admin.GetAsync<Page<BackendResponse>>($"backends?backendGroupId={tree.Group.Id}");

        Assert.Equal((false, false), (whole.WholeReportWanted, rest.WholeReportWanted));
        Assert.Equal((true, revision), (node.Online, node.AppliedRevision));
        Assert.Equal([BackendHealth.Up, BackendHealth.Down], backends.Items.Select(b => b.Health));
        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Degraded), await StatusAsync(tree.LoadBalancer.Id));
    }

    [Fact]
    public async Task Heartbeat_Changes_LeaveWhatIsNotReportedAsItWas()
    {
        var cluster = await Seed.ClusterAsync();
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.97");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.97.9");
        var revision = await Seed.RevisionAsync(cluster.Id);
        var (first, second) = (tree.Backends[0].Id, tree.Backends[1].Id);

        await master.ReportAsync(TestAgent.Report(
            revision, VrrpState.Master, backends: [new(first, BackendHealth.Down), new(second, BackendHealth.Down)], listeners: [new(tree.Listener.Id, 1, 2, 3, 4)]));
        await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: [new(first, BackendHealth.Up)]) with { Changes = true });
        var health = (await _admin.GetAsync<Page<BackendResponse>>($"backends?backendGroupId={tree.Group.Id}")).Items.Select(b => b.Health).ToList();
        var counters = (await _admin.GetAsync<ListenerStatsResponse>($"listeners/{tree.Listener.Id}/stats")).Nodes.Select(n => n.TotalConnections).ToList();
        await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master) with { Changes = true, StoppedListeners = [tree.Listener.Id] });

        Assert.Equal([BackendHealth.Up, BackendHealth.Down], health);
        Assert.Equal([2L], counters);
        Assert.Empty((await _admin.GetAsync<ListenerStatsResponse>($"listeners/{tree.Listener.Id}/stats")).Nodes);
    }

    /// <summary>The health shown was the old MASTER's: a new MASTER's changes would be applied to another node's picture.</summary>
    [Fact]
    public async Task Heartbeat_ChangesFromANodeThatJustBecameMaster_AskForItsWholePicture()
    {
        var cluster = await Seed.ClusterAsync();
        using var node = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.98");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.97.10");
        var revision = await Seed.RevisionAsync(cluster.Id);
        var first = tree.Backends[0].Id;

        await node.ReportAsync(TestAgent.Report(revision, VrrpState.Backup));
        var changes = await node.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: [new(first, BackendHealth.Down)]) with { Changes = true });
        var notTaken = await _admin.GetAsync<BackendResponse>($"backends/{first}");
        var whole = await node.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends: [new(first, BackendHealth.Down)]));

        Assert.True(changes.WholeReportWanted);
        Assert.Equal(BackendHealth.Unknown, notTaken.Health);
        Assert.False(whole.WholeReportWanted);
        Assert.Equal(BackendHealth.Down, (await _admin.GetAsync<BackendResponse>($"backends/{first}")).Health);
    }

    [Fact]
    public async Task Heartbeat_StoppedListenersInAWholeReport_400()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.99");

        var problem = await (await agent.HeartbeatAsync(TestAgent.Report(1) with { StoppedListeners = ["lsn-0000000000000000", "Not An Id"] })).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("stoppedListeners", problem.Errors.Keys);
    }

    [Fact]
    public async Task Heartbeat_WithIdsOfAnotherClusterOrUnknownOnes_IgnoresThem()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        var foreign = await Seed.TreeAsync(project, await Seed.ClusterAsync(), "198.18.97.5");
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.90");

        await agent.ReportAsync(TestAgent.Report(
            1,
            VrrpState.Master,
            backends: [new(foreign.Backends[0].Id, BackendHealth.Down), new("be-0000000000000000", BackendHealth.Down)],
            listeners: [new(foreign.Listener.Id, 5, 10, 100, 200), new("lsn-0000000000000000", 1, 1, 1, 1)]));

        Assert.Equal(BackendHealth.Unknown, (await _admin.GetAsync<BackendResponse>($"backends/{foreign.Backends[0].Id}")).Health);
        Assert.Empty((await _admin.GetAsync<ListenerStatsResponse>($"listeners/{foreign.Listener.Id}/stats")).Nodes);
    }

    [Theory]
    [InlineData("""{"appliedRevision":-1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[]}""", "appliedRevision")]
    [InlineData("""{"appliedRevision":"7","vrrpState":"MASTER","versions":{},"backends":[],"listeners":[]}""", "appliedRevision")]
    [InlineData("""{"appliedRevision":1.5,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[]}""", "appliedRevision")]
    [InlineData("""{"appliedRevision":99999999999999999999,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[]}""", "appliedRevision")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"master","versions":{},"backends":[],"listeners":[]}""", "vrrpState")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[],"extra":1}""", "extra")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","backends":[],"listeners":[]}""", "versions")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{"agent":"a\u0000b"},"backends":[],"listeners":[]}""", "versions.agent")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"listeners":[]}""", "backends")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":{},"listeners":[]}""", "backends")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[null],"listeners":[]}""", "backends[0]")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[{"health":"UP"}],"listeners":[]}""", "backends[0].backendId")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[{"backendId":"be-1","health":"SICK"}],"listeners":[]}""", "backends[0].health")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[{"backendId":"be 1; drop","health":"UP"}],"listeners":[]}""", "backends[0].backendId")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[{"backendId":"be-1","health":"UP"},{"backendId":"be-1","health":"DOWN"}],"listeners":[]}""", "backends[1].backendId")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[{"listenerId":"lsn-1","bytesIn":-5}]}""", "listeners[0].bytesIn")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[{"listenerId":"lsn-1","responses":{"serverError":true}}]}""", "listeners[0].responses.serverError")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[{"listenerId":"lsn-1","responses":{"informational":0,"success":-1,"redirection":0,"clientError":0,"serverError":0,"other":0}}]}""", "listeners[0].responses.success")]
    [InlineData("""{"appliedRevision":1,"lastErrorRevision":2,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[]}""", "lastError")]
    [InlineData("""{"appliedRevision":1,"lastError":"bad","vrrpState":"MASTER","versions":{},"backends":[],"listeners":[]}""", "lastErrorRevision")]
    [InlineData("""{"appliedRevision":1,"lastError":"bad","lastErrorRevision":-2,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[]}""", "lastErrorRevision")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[],"restarts":[{"tool":"sshd","count":1}]}""", "restarts[0].tool")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[],"restarts":[{"tool":"nginx","count":-1}]}""", "restarts[0].count")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[],"restarts":[{"tool":"nginx","count":1},{"tool":"nginx","count":2}]}""", "restarts[1].tool")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[],"loadBalancerErrors":[{"loadBalancerId":"LB 1","revision":1,"error":"x"}]}""", "loadBalancerErrors[0].loadBalancerId")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[],"loadBalancerErrors":[{"loadBalancerId":"lb-1","revision":-1,"error":"x"}]}""", "loadBalancerErrors[0].revision")]
    [InlineData("""{"appliedRevision":1,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[],"loadBalancerErrors":[{"loadBalancerId":"lb-1","revision":1,"error":"\u0000"}]}""", "loadBalancerErrors[0].error")]
    [InlineData("""{"appliedRevision":1000000000000000,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[]}""", "appliedRevision")]
    [InlineData("""{"appliedRevision":1,"lastError":"bad","lastErrorRevision":1000000000000000,"vrrpState":"MASTER","versions":{},"backends":[],"listeners":[]}""", "lastErrorRevision")]
    [InlineData("""[]""", "body")]
    [InlineData("""{"appliedRevision":""", "body")]
    public async Task Heartbeat_Malformed_IsBadRequestNamingTheField(string json, string field)
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.91");

        var problem = await (await agent.Client.PostRawAsync("agent/heartbeat", json)).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(field, problem.Errors.Keys);
        Assert.False((await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}")).Online);
    }

    [Fact]
    public async Task Heartbeat_WithRestarts_ShowsThemOnTheNode_AndTheNextReportReplacesThem()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.94");
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        ProcessRestarts[] restarts =
        [
            new("haproxy", 2, "haproxy (pid 41) exited; started again (pid 57)", at),
            new("keepalived", 1, "keepalived (pid 12) exited;\u0007 could not be started: " + new string('x', 1000), at),
        ];

        await agent.ReportAsync(TestAgent.Report(applied: 1) with { Restarts = restarts });
        var shown = (await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}")).Restarts!;
        await agent.ReportAsync(TestAgent.Report(applied: 1));
        var later = (await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}")).Restarts;

        Assert.Equal(["haproxy", "keepalived"], shown.Select(r => r.Tool));
        Assert.Equal(restarts[0], shown[0]);
        Assert.Equal((1, at), (shown[1].Count, shown[1].LastAt));
        Assert.Equal(NodeReports.MaxRestartReasonLength, shown[1].LastReason!.Length);
        Assert.StartsWith("keepalived (pid 12) exited; could not be started: xxx", shown[1].LastReason, StringComparison.Ordinal);
        Assert.EndsWith("x…", shown[1].LastReason, StringComparison.Ordinal);
        Assert.Equal([], later);
    }

    [Fact]
    public async Task Heartbeat_WithoutJson_IsUnsupportedMediaType()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.92");

        var response = await agent.Client.Http.PostAsync("/api/v1/agent/heartbeat", new StringContent("appliedRevision=1"));

        await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Heartbeat_ErrorTextWithControlCharactersOrTooLong_IsStoredSafelyAndCut()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.93");
        var hostile = "line one\r\n\tline two\u001b[31m\u202e" + new string('x', 10_000);

        await agent.ReportAsync(TestAgent.Report(applied: 1, failedRevision: 2, error: hostile));
        var error = (await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}")).LastError!;

        Assert.StartsWith("line one\n line two[31mxxx", error, StringComparison.Ordinal);
        Assert.Equal(4096, error.Length);
        Assert.EndsWith("x…", error, StringComparison.Ordinal);
    }

    private async Task<(ProvisioningStatus, OperatingStatus)> StatusAsync(string loadBalancerId)
    {
        var lb = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{loadBalancerId}");
        return (lb.ProvisioningStatus, lb.OperatingStatus);
    }
}
