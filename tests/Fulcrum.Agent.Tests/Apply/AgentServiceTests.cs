using Fulcrum.Agent.AccessLogs;
using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Control;
using Fulcrum.Agent.Processes;
using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fulcrum.Agent.Tests.Apply;

/// <summary>The agent's loop, desired against actual, with a fake control plane, a fake data plane and fake time.</summary>
public sealed class AgentServiceTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TestNode _node = new();
    private readonly FakeControlPlane _server = new();
    private readonly FakeTimeProvider _time = new();
    private readonly HttpClient _http;
    private readonly UdpHealthChecks _udp;
    private readonly RecentAccessLogs _accessLogs = new();
    private readonly AgentService _agent;

    public AgentServiceTests()
    {
        _http = new HttpClient(_server) { BaseAddress = _node.Credential.Server };
        _udp = new UdpHealthChecks(_node.Applier, _time, NullLogger<UdpHealthChecks>.Instance);
        _agent = new AgentService(
            _node.State,
            new ServerClient(_http, _node.Credential, _node.State),
            _node.Applier,
            _udp,
            new Supervisor(new NodeProcesses(_node.State, _node.Applier, _time), _time, NullLogger<Supervisor>.Instance),
            _node.Dataplane,
            _accessLogs,
            _node.Credential,
            AgentTimings.Default,
            _time,
            NullLogger<AgentService>.Instance);
    }

    [Fact]
    public async Task Run_ApplyFailsTransiently_RetriedWithoutANewRevisionUntilApplied_LastErrorReportedMeanwhile()
    {
        _server.Publish(TestNode.Snapshot(1, 80));
        _node.Dataplane.Applies(new IOException("haproxy's master CLI does not answer."), new IOException("haproxy's master CLI does not answer."));

        await _agent.StartAsync(CancellationToken.None);
        await UntilAsync(() => _node.Applier.AppliedRevision == 1, "the failed revision was never applied");
        await UntilAsync(() => _server.Reports.Any(r => r.AppliedRevision == 1 && r.LastError is null), "the node never reported the revision applied");

        Assert.Equal(3, _node.Dataplane.Applied.Count);
        Assert.Contains(_server.Reports, r => r is { AppliedRevision: 0, LastErrorRevision: 1 } && r.LastError!.Contains("master CLI", StringComparison.Ordinal));
        // While the revision waits to be applied again, the agent only checks for a newer one, without waiting.
        Assert.Equal([(null, 30), (1L, 0)], _server.Polls.Take(2));
    }

    [Fact]
    public async Task Run_SnapshotRefused_NotRetried_UntilANewRevisionComes()
    {
        _server.Publish(TestNode.Snapshot(1, 80));
        _node.Dataplane.RefuseHaproxyConfigWith = "global";

        await _agent.StartAsync(CancellationToken.None);
        await UntilAsync(() => _server.Polls.Contains((1L, 30)), "the agent never went back to waiting for a new revision");
        _time.Advance(TimeSpan.FromMinutes(5));
        await UntilAsync(() => _server.Reports.Any(r => r.LastErrorRevision == 1), "the refusal was never reported");

        Assert.Equal(0, _node.Applier.AppliedRevision);
        Assert.Empty(_node.Dataplane.Applied);
        Assert.DoesNotContain(_server.Polls, poll => poll.WaitSeconds == 0);

        _node.Dataplane.RefuseHaproxyConfigWith = null;
        _server.Publish(TestNode.Snapshot(2, 80));
        await UntilAsync(() => _node.Applier.AppliedRevision == 2, "the next revision was never applied");
        Assert.Single(_node.Dataplane.Applied);
    }

    /// <summary>A state directory left from another cluster, at a revision above the new cluster's: the new cluster wins.</summary>
    [Fact]
    public async Task Run_CachedSnapshotOfAnotherClusterAtAHigherRevision_NotServed_TheClustersCurrentSnapshotApplied()
    {
        StateDirectory.WritePrivate(_node.State.SnapshotFile, TestNode.Snapshot("cl-earlier", 50, 80));
        _server.Publish(TestNode.Snapshot(3, 81));

        await _agent.StartAsync(CancellationToken.None);
        await UntilAsync(() => _node.Applier.AppliedRevision == 3, "the cluster's snapshot was never applied");

        Assert.Equal(TestNode.ClusterId, _node.Applier.Snapshot!.ClusterId);
        Assert.Single(_node.Dataplane.Applied);
        Assert.Equal((null, 30), _server.Polls[0]);
    }

    /// <summary>
    /// Maintenance or a failover to another node: the node stands aside through keepalived's tracked file, without a
    /// reload, and takes part again once released — also when the revision that asks for it is refused.
    /// </summary>
    [Fact]
    public async Task Run_SnapshotHasTheNodeStandAside_StandbyFileSaysSo_EvenWhenRefused_ThenReleasedWithoutAKeepalivedReload()
    {
        _server.Publish(TestNode.Snapshot(1, 80));
        await _agent.StartAsync(CancellationToken.None);
        await UntilAsync(() => _node.Applier.AppliedRevision == 1, "the first revision was never applied");
        Assert.Equal("0\n", File.ReadAllText(Standby.File(_node.State)));

        var standby = TestNode.Snapshot(2, 80);
        _node.Dataplane.RefuseHaproxyConfigWith = "global";
        _server.Publish(standby with { Nodes = [standby.Nodes[0] with { Standby = true }] });
        await UntilAsync(() => _server.Reports.Any(r => r.LastErrorRevision == 2), "the refusal was never reported");
        Assert.Equal("1\n", File.ReadAllText(Standby.File(_node.State)));

        _node.Dataplane.RefuseHaproxyConfigWith = null;
        _server.Publish(TestNode.Snapshot(3, 80));
        await UntilAsync(() => _node.Applier.AppliedRevision == 3, "the release was never applied");
        Assert.Equal("0\n", File.ReadAllText(Standby.File(_node.State)));
        Assert.False(_node.Dataplane.Applied[^1].Changes.Keepalived, "keepalived was reloaded for what it follows through its file");
    }

    /// <summary>
    /// A MASTER drains before it stands aside: the hold on new connections to its VIPs comes before the standby file
    /// says 1, and is lifted before the file says 0 again. A BACKUP, holding no VIP, stands aside without a hold.
    /// </summary>
    [Fact]
    public async Task Run_MasterToldToStandAside_HoldsNewConnectionsOnItsVipsFirst_AndLiftsTheHoldBeforeTakingPartAgain()
    {
        VrrpStateFile.Write(_node.State, "MASTER");
        _server.Publish(TestNode.Snapshot(1, 80));
        await _agent.StartAsync(CancellationToken.None);
        await UntilAsync(() => _node.Applier.AppliedRevision == 1, "the first revision was never applied");
        var standby = TestNode.Snapshot(2, ("web", [80]), ("shop", [443]));
        _server.Publish(standby with { Nodes = [standby.Nodes[0] with { Standby = true }] });
        await UntilAsync(() => _node.Applier.AppliedRevision == 2, "the standby was never applied");
        VrrpStateFile.Write(_node.State, "FAULT");
        _server.Publish(TestNode.Snapshot(3, 80));
        await UntilAsync(() => _node.Applier.AppliedRevision == 3, "the release was never applied");

        Assert.Equal(
            [(["198.18.10.10", "198.18.10.11"], false), ([], true)],
            _node.Dataplane.Holds.Select(h => (h.Vips.Select(v => v.ToString()).ToArray(), h.StandingAside)));
    }

    [Fact]
    public async Task Run_BackupToldToStandAside_StandsAsideWithoutAHold()
    {
        VrrpStateFile.Write(_node.State, "BACKUP");
        var standby = TestNode.Snapshot(1, 80);
        _server.Publish(standby with { Nodes = [standby.Nodes[0] with { Standby = true }] });
        await _agent.StartAsync(CancellationToken.None);
        await UntilAsync(() => _node.Applier.AppliedRevision == 1, "the first revision was never applied");

        Assert.Equal("1\n", File.ReadAllText(Standby.File(_node.State)));
        Assert.DoesNotContain(_node.Dataplane.Holds, h => h.Vips.Count > 0);
    }

    [Fact]
    public async Task Heartbeat_Master_CarriesTheWaitingAccessLogLinesOnce()
    {
        VrrpStateFile.Write(_node.State, "MASTER");
        var line = new AccessLogEntry(_time.GetUtcNow(), "lsn-80", ListenerProtocol.Http, "198.18.0.100", 40000, Status: 200);
        _accessLogs.Add(line);
        _server.Publish(TestNode.Snapshot(1, 80));
        await _agent.StartAsync(CancellationToken.None);
        await UntilAsync(() => _server.Reports.Count(r => r.AppliedRevision == 1) >= 3, "the node never heartbeat after applying");

        var carried = Assert.Single(_server.Reports, r => r.AccessLogs is not null);
        Assert.Equal([line], Assert.Single(carried.AccessLogs!).Lines);
        Assert.Empty(_accessLogs.Pending());
    }

    [Fact]
    public async Task Heartbeat_Backup_KeepsItsAccessLogLinesToItself()
    {
        VrrpStateFile.Write(_node.State, "BACKUP");
        _accessLogs.Add(new AccessLogEntry(_time.GetUtcNow(), "lsn-80", ListenerProtocol.Tcp, "198.18.0.100", 40000));
        _server.Publish(TestNode.Snapshot(1, 80));
        await _agent.StartAsync(CancellationToken.None);
        await UntilAsync(() => _server.Reports.Count(r => r.AppliedRevision == 1) >= 2, "the node never heartbeat after applying");

        Assert.DoesNotContain(_server.Reports, r => r.AccessLogs is not null);
    }

    /// <summary>Awaits a condition, letting fake time run so that backoff delays and timers elapse.</summary>
    private async Task UntilAsync(Func<bool> condition, string failure)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, failure);
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.StopAsync(CancellationToken.None);
        _agent.Dispose();
        _udp.Dispose();
        _http.Dispose();
        _server.Dispose();
        _node.Dispose();
    }
}
