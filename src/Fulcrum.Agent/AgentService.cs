using System.Reflection;
using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Control;
using Fulcrum.Agent.Processes;
using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent;

public sealed record AgentTimings(TimeSpan HeartbeatInterval, TimeSpan WatchWait)
{
    public static AgentTimings Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
}

/// <summary>
/// The node's loop. On start it lets the data plane bind VIPs it does not hold (so a failover only moves addresses)
/// and re-applies the last good snapshot, so a node restarted while the control plane is down keeps serving. Then it
/// long-polls for newer snapshots — level-triggered: every snapshot is the whole desired state — and heartbeats.
/// </summary>
public sealed partial class AgentService(
    StateDirectory state,
    ServerClient server,
    Applier applier,
    UdpHealthChecks udpChecks,
    Supervisor supervisor,
    DataplaneBinaries binaries,
    AgentTimings timings,
    TimeProvider time,
    ILogger<AgentService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly HeartbeatReports _reports = new();
    private NodeVersions? _versions;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        EnableNonLocalBind();
        _versions = await ProbeVersionsAsync(stoppingToken);
        var seen = 0L;
        if (StateDirectory.Read<ClusterSnapshot>(state.SnapshotFile) is { } cached)
        {
            LogCached(logger, cached.Revision);
            seen = cached.Revision;
            try
            {
                await applier.ApplyAsync(cached, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogLoopFailed(logger, e, 0);
            }
        }

        var heartbeats = HeartbeatLoopAsync(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await server.WatchAsync(seen, timings.WatchWait, stoppingToken) is { } snapshot)
                {
                    seen = snapshot.Revision;
                    await applier.ApplyAsync(snapshot, stoppingToken);
                    await HeartbeatAsync(stoppingToken);
                }

                failures = 0;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // An unreachable server, or anything unforeseen: the node keeps serving what it has and tries again.
                failures++;
                var delay = Backoff(failures);
                if (e is HttpRequestException or TaskCanceledException)
                {
                    LogUnreachable(logger, delay.TotalMilliseconds, e.Message);
                }
                else
                {
                    LogLoopFailed(logger, e, delay.TotalMilliseconds);
                }

                await Task.Delay(delay, time, stoppingToken);
            }
        }

        await heartbeats;
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
            var (backends, listeners) = await ReadStatsAsync(ct);
            var facts = new NodeReport(applier.AppliedRevision, applier.LastError, applier.LastErrorRevision, VrrpStateFile.Read(state), _versions!, [], [], supervisor.Restarts());
            // A server that asks for the whole picture gets it at once, not a heartbeat later.
            for (var round = 0; round < 2; round++)
            {
                var wholeWanted = false;
                foreach (var report in _reports.For(facts, [.. backends, .. udpChecks.Health()], listeners))
                {
                    wholeWanted |= (await server.HeartbeatAsync(report, ct)).WholeReportWanted;
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

    /// <summary>
    /// Frontends (listener counters) and servers (health) of haproxy's <c>show stat</c>, without its backend rows.
    /// </summary>
    private async Task<(IReadOnlyList<BackendHealthReport>, IReadOnlyList<ListenerCounters>)> ReadStatsAsync(CancellationToken ct)
    {
        var socket = Path.Combine(state.Runtime, "haproxy.sock");
        if (!File.Exists(socket))
        {
            return ([], []);
        }

        try
        {
            return HaproxyStats.Parse(await Processes.Dataplane.SendAsync(socket, HaproxyStats.Command, ct));
        }
        catch (System.Net.Sockets.SocketException)
        {
            return ([], []);
        }
    }

    /// <summary>Lets haproxy and nginx bind the VIPs on a BACKUP node too; this is the node's own network namespace.</summary>
    private void EnableNonLocalBind()
    {
        foreach (var setting in new[] { "/proc/sys/net/ipv4/ip_nonlocal_bind", "/proc/sys/net/ipv6/ip_nonlocal_bind" })
        {
            try
            {
                File.WriteAllText(setting, "1");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogSysctlFailed(logger, setting, e.Message);
            }
        }
    }

    private async Task<NodeVersions> ProbeVersionsAsync(CancellationToken ct)
    {
        async Task<string?> FirstLine(string program, params string[] arguments)
        {
            try
            {
                var result = await Commands.RunAsync(program, arguments, ct, TimeSpan.FromSeconds(5));
                return result.Output.Split('\n').FirstOrDefault()?.Trim() is { Length: > 0 } line ? line[..Math.Min(line.Length, 200)] : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        var agent = typeof(AgentService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return new NodeVersions(
            agent, await FirstLine(binaries.Haproxy, "-v"), await FirstLine(binaries.Nginx, "-v"), await FirstLine(binaries.Keepalived, "--version"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-applying the cached snapshot at revision {Revision}")]
    private static partial void LogCached(ILogger logger, long revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control plane unreachable; retrying in {DelayMs:F0} ms: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The watch loop failed; retrying in {DelayMs:F0} ms")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not set {Setting}: {Reason}")]
    private static partial void LogSysctlFailed(ILogger logger, string setting, string reason);
}
