using Fulcrum.Agent.AccessLogs;
using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Control;
using Fulcrum.Agent.Enrolment;
using Fulcrum.Agent.Processes;
using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent;

/// <param name="HeldPortRetry">How often a load balancer kept out because another process held its port is tried again.</param>
/// <param name="Drain">How long a MASTER standing aside waits for its connections to close (<see cref="VipDrain"/>).</param>
public sealed record AgentTimings(TimeSpan HeartbeatInterval, TimeSpan WatchWait, TimeSpan? HeldPortRetry = null, TimeSpan? Drain = null)
{
    public TimeSpan HeldPortRetryInterval => HeldPortRetry ?? TimeSpan.FromSeconds(10);

    /// <summary>
    /// Two seconds: a client whose SYN the hold dropped at its start sends it again after one second and three, the
    /// second time to the new MASTER — well within the usual connect timeouts.
    /// </summary>
    public TimeSpan DrainTimeout => Drain ?? TimeSpan.FromSeconds(2);

    public static AgentTimings Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
}

/// <summary>
/// The node's loop. On start it lets the data plane bind VIPs it does not hold (so a failover only moves addresses)
/// and re-applies the last good snapshot of its cluster, so a node restarted while the control plane is down keeps
/// serving. Then it reconciles: long-polls for newer snapshots — level-triggered: every snapshot is the whole desired
/// state — applies them until they apply or are refused, and heartbeats.
/// </summary>
public sealed partial class AgentService(
    StateDirectory state,
    ServerClient server,
    Applier applier,
    UdpHealthChecks udpChecks,
    Supervisor supervisor,
    IDataplane dataplane,
    RecentAccessLogs accessLogs,
    NodeCredential credential,
    AgentTimings timings,
    TimeProvider time,
    ILogger<AgentService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly HeartbeatReports _reports = new();
    private HaproxyStatsReader? _stats;
    private VipDrain? _drain;
    private NodeVersions? _versions;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _versions = await dataplane.PrepareNodeAsync(stoppingToken);
        // The cached snapshot lets a node serve while the control plane is down; one of another cluster (a state
        // directory left from an earlier enrolment) is nothing this node should serve.
        if (StateDirectory.Read<ClusterSnapshot>(state.SnapshotFile) is { } cached && cached.ClusterId == credential.ClusterId)
        {
            LogCached(logger, cached.Revision);
            await StandAsideIfAskedAsync(cached, stoppingToken);
            await applier.ApplyAsync(cached, stoppingToken);
        }

        var heartbeats = HeartbeatLoopAsync(stoppingToken);
        await ReconcileAsync(stoppingToken);
        await heartbeats;
    }

    /// <summary>
    /// Desired against actual: the desired state is the newest snapshot the server gave; a snapshot that failed for a
    /// transient reason stays desired and is applied again with backoff, checking for a newer one in between, until it
    /// applies; a refused one waits for the next revision. The first request asks for the cluster's snapshot as it is
    /// now, whatever revision the cache holds: a new cluster may well be at a lower one.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        long? seen = null;
        ClusterSnapshot? retry = null;
        ClusterSnapshot? applied = null;
        var applyFailures = 0;
        var serverFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            ClusterSnapshot? received;
            try
            {
                if (retry is not null)
                {
                    await Task.Delay(Backoff(applyFailures), time, stoppingToken);
                }

                // A load balancer kept out for a port another process held is tried again while nothing else comes.
                var wait = retry is not null ? TimeSpan.Zero
                    : applier.KeepsOutHeldPorts ? TimeSpan.FromTicks(Math.Min(timings.WatchWait.Ticks, timings.HeldPortRetryInterval.Ticks))
                    : timings.WatchWait;
                received = await server.WatchAsync(seen, wait, stoppingToken);
                serverFailures = 0;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                // The node keeps serving what it has; a snapshot waiting to be applied again does not wait for the server.
                serverFailures++;
                var delay = Backoff(serverFailures);
                LogUnreachable(logger, delay.TotalMilliseconds, e.Message);
                await Task.Delay(delay, time, stoppingToken);
                received = null;
            }

            if ((received ?? retry) is not { } desired)
            {
                if (applied is not null && applier.KeepsOutHeldPorts && await applier.RetryHeldPortsAsync(applied, stoppingToken))
                {
                    await HeartbeatAsync(stoppingToken);
                }

                continue;
            }

            seen = desired.Revision;
            await StandAsideIfAskedAsync(desired, stoppingToken);
            var outcome = await applier.ApplyAsync(desired, stoppingToken);
            retry = outcome.Result == ApplyResult.Failed ? desired : null;
            applied = outcome.Result == ApplyResult.Applied ? desired : applied;
            applyFailures = retry is null ? 0 : applyFailures + 1;
            if (retry is not null)
            {
                LogApplyRetry(logger, desired.Revision, applyFailures);
            }

            await HeartbeatAsync(stoppingToken);
        }
    }

    /// <summary>
    /// Before the apply, which may take a while or fail: the VIPs move within a moment of the operator's word — once
    /// a MASTER has drained them — and the node takes part again with its hold on new connections lifted.
    /// </summary>
    private async Task StandAsideIfAskedAsync(ClusterSnapshot snapshot, CancellationToken ct)
    {
        var standby = Standby.Of(snapshot, credential.NodeId);
        var was = Standby.Read(state);
        _drain ??= new VipDrain(dataplane, SendStatsAsync, time, timings.DrainTimeout, logger);
        if (standby && !was && VrrpStateFile.Read(state) == VrrpState.Master)
        {
            await _drain.DrainAsync(snapshot, ct);
        }
        else if (!standby && was)
        {
            await _drain.LiftAsync(ct);
        }

        if (Standby.Write(state, standby))
        {
            LogStandby(logger, snapshot.Revision, standby);
        }
    }

    /// <summary>Exponential with full jitter, so that the nodes of a cluster do not return to a recovering server in step.</summary>
    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(MaxBackoff.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(failures, 10))));

    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(timings.HeartbeatInterval, time);
        try
        {
            do
            {
                await HeartbeatAsync(ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        try
        {
            _stats ??= new HaproxyStatsReader(SendStatsAsync, time);
            var (backends, listeners) = await _stats.ReadAsync(applier.Snapshot, ct);
            var facts = new NodeReport(applier.AppliedRevision, applier.LastError, applier.LastErrorRevision, VrrpStateFile.Read(state), _versions!, [], [], supervisor.Restarts(), LoadBalancerErrors: applier.LoadBalancerErrors, LastErrorRetried: applier.LastErrorRetried);
            AgentMetrics.Observe(facts.AppliedRevision, facts.VrrpState, [.. backends, .. udpChecks.Health()]);
            // The API shows the access log of the node that carries the traffic; the lines ride on the first report the
            // server takes, once.
            var lines = facts.VrrpState == VrrpState.Master ? accessLogs.Pending() : [];
            // A server that asks for the whole picture gets it at once, not a heartbeat later.
            for (var round = 0; round < 2; round++)
            {
                var wholeWanted = false;
                foreach (var report in _reports.For(facts, [.. backends, .. udpChecks.Health()], listeners))
                {
                    wholeWanted |= (await server.HeartbeatAsync(lines.Count > 0 ? report with { AccessLogs = lines } : report, ct)).WholeReportWanted;
                    accessLogs.Taken(lines);
                    lines = [];
                }

                if (!wholeWanted)
                {
                    _reports.Taken();
                    break;
                }

                _reports.WholeNext();
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            _reports.WholeNext();
            LogHeartbeatFailed(logger, e.Message);
        }
    }

    /// <summary>One command on haproxy's stats socket; null when haproxy does not answer.</summary>
    private async Task<string?> SendStatsAsync(string command, CancellationToken ct)
    {
        var socket = Path.Combine(state.Runtime, "haproxy.sock");
        if (!File.Exists(socket))
        {
            return null;
        }

        try
        {
            var csv = await Processes.Dataplane.SendAsync(socket, command, ct);
            AgentMetrics.ObserveStats(command, csv);
            return csv;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-applying the cached snapshot at revision {Revision}")]
    private static partial void LogCached(ILogger logger, long revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revision {Revision}: this node stands aside from VRRP: {Standby}")]
    private static partial void LogStandby(ILogger logger, long revision, bool standby);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control plane unreachable; retrying in {DelayMs:F0} ms: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revision {Revision} did not apply ({Failures} attempts so far); trying again")]
    private static partial void LogApplyRetry(ILogger logger, long revision, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);
}
