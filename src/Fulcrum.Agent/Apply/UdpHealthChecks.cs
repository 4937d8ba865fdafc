using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.Apply;

/// <summary>What the UDP checks need of the applier: the snapshot served, and a way to mark backends down in nginx.</summary>
public interface IUdpCheckTarget
{
    /// <summary>The snapshot being served, null before the first success.</summary>
    ClusterSnapshot? Snapshot { get; }

    /// <summary>UDP backends nginx is rendered with marked down.</summary>
    IReadOnlySet<string> DownBackendIds { get; }

    /// <summary>Re-renders the served snapshot with a new set of down UDP backends.</summary>
    Task UseDownBackendsAsync(IReadOnlySet<string> down, CancellationToken ct);
}

/// <summary>
/// Active health checks for UDP backends, which open-source nginx cannot do: the agent probes each backend of a udp
/// listener that has a health check (a datagram with an expected answer, a TCP connect, or an HTTP request), counts
/// rise and fall like haproxy does, and when the set of down backends changes it re-renders nginx with them marked
/// <c>down</c>. Their health goes into the heartbeat with haproxy's. Every check runs on its own schedule, so a
/// tenant's slow check (a long timeout, a backend that never answers) delays no other tenant's.
/// </summary>
public sealed partial class UdpHealthChecks(IUdpCheckTarget applier, TimeProvider time, ILogger<UdpHealthChecks> logger) : BackgroundService
{
    /// <summary>How often the snapshot is looked at for checks to start or stop, and the down set compared at the latest.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, Probe> _probes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false });
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the checks think of each checked UDP backend (a backend down on any of its listeners is down).</summary>
    public IReadOnlyList<BackendHealthReport> Health()
    {
        lock (_probes)
        {
            return _probes.Values.GroupBy(p => p.BackendId)
                .Select(g => new BackendHealthReport(g.Key, g.Any(p => !p.Up) ? BackendHealth.Down : BackendHealth.Up))
                .ToList();
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A fresh signal before the down set is read: a change counted from here on wakes the next wait.
                _ = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                var checks = Checks(applier.Snapshot);
                Schedule(checks, stoppingToken);
                var down = Down(checks);
                if (!down.SetEquals(applier.DownBackendIds))
                {
                    LogDownChanged(logger, down.Count);
                    await applier.UseDownBackendsAsync(down, stoppingToken);
                }

                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(_changed.Task, Task.Delay(Idle, time, idle.Token));
                await idle.CancelAsync();
            }
        }
        finally
        {
            await StopAllAsync();
        }
    }

    /// <summary>Starts a loop for every new check and stops the loops of checks gone or changed.</summary>
    private void Schedule(List<Check> checks, CancellationToken ct)
    {
        var wanted = checks.ToDictionary(c => c.Key, StringComparer.Ordinal);
        foreach (var (key, running) in _running.Where(r => !wanted.TryGetValue(r.Key, out var check) || check != r.Value.Check).ToList())
        {
            running.Stop.Cancel();
            _ = running.Loop.ContinueWith(_ => running.Stop.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            _running.Remove(key);
        }

        foreach (var check in checks.Where(c => !_running.ContainsKey(c.Key)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _running[check.Key] = new Running(check, stop, LoopAsync(check, stop.Token));
        }
    }

    private async Task StopAllAsync()
    {
        foreach (var running in _running.Values)
        {
            await running.Stop.CancelAsync();
        }

        await Task.WhenAll(_running.Values.Select(r => r.Loop));
        foreach (var running in _running.Values)
        {
            running.Stop.Dispose();
        }

        _running.Clear();
    }

    /// <summary>One check: a probe every interval, counted from the start of the last one; a change of state wakes the loop above.</summary>
    private async Task LoopAsync(Check check, CancellationToken ct)
    {
        await Task.Yield();
        var interval = TimeSpan.FromMilliseconds(check.Spec.IntervalMs ?? 2_000);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var started = time.GetTimestamp();
                var passed = await ProbeAsync(check, ct);
                bool flipped;
                lock (_probes)
                {
                    flipped = _probes.TryGetValue(check.Key, out var probe) && probe.Count(passed, check.Spec.Rise ?? 2, check.Spec.Fall ?? 3);
                }

                if (flipped)
                {
                    _changed.TrySetResult();
                }

                var rest = interval - time.GetElapsedTime(started);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, time, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private List<Check> Checks(ClusterSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            return [];
        }

        var checks = (
            from lb in snapshot.LoadBalancers.Where(lb => lb.Enabled)
            from listener in lb.Listeners.Where(l => l.Enabled && l.Protocol == ListenerProtocol.Udp && l.HealthCheck is not null)
            from backend in lb.BackendGroups.Where(g => g.Id == listener.DefaultBackendGroupId).SelectMany(g => g.Backends)
            where backend.AdminState == BackendAdminState.Enabled
            select new Check($"{listener.Id}/{backend.Id}", backend, listener.HealthCheck!)).ToList();

        lock (_probes)
        {
            foreach (var stale in _probes.Keys.Except(checks.Select(c => c.Key)).ToList())
            {
                _probes.Remove(stale);
            }

            foreach (var check in checks)
            {
                _probes.TryAdd(check.Key, new Probe(check.Backend.Id));
            }
        }

        return checks;
    }

    private HashSet<string> Down(List<Check> checks)
    {
        lock (_probes)
        {
            return checks.Where(c => !_probes[c.Key].Up).Select(c => c.Backend.Id).ToHashSet(StringComparer.Ordinal);
        }
    }

    private async Task<bool> ProbeAsync(Check check, CancellationToken ct)
    {
        var target = new IPEndPoint(IPAddress.Parse(check.Backend.Address), check.Backend.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(check.Spec.TimeoutMs ?? 1_000), time);
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return check.Spec.Type switch
            {
                HealthCheckType.Udp => await UdpAsync(target, check.Spec.Udp!, probe.Token),
                HealthCheckType.Tcp => await TcpAsync(target, probe.Token),
                _ => await HttpAsync(target, check.Spec.Http!, probe.Token),
            };
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or HttpRequestException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<bool> UdpAsync(IPEndPoint target, UdpCheckSpec spec, CancellationToken ct)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(target, ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes(spec.Send!), SocketFlags.None, ct);
        var buffer = new byte[2048];
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
        return string.IsNullOrEmpty(spec.Expect) || Encoding.UTF8.GetString(buffer, 0, received).Contains(spec.Expect, StringComparison.Ordinal);
    }

    private static async Task<bool> TcpAsync(IPEndPoint target, CancellationToken ct)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(target, ct);
        return true;
    }

    private async Task<bool> HttpAsync(IPEndPoint target, HttpCheckSpec spec, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(new HttpMethod(spec.Method ?? "GET"), $"http://{target}{spec.Path ?? "/"}");
        if (spec.Host is { } host)
        {
            request.Headers.Host = host;
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return Expected(spec.ExpectedCodes ?? "200-399", (int)response.StatusCode);
    }

    /// <summary>Whether <paramref name="status"/> is among codes like <c>200,204,300-399</c> (already validated).</summary>
    internal static bool Expected(string codes, int status) =>
        codes.Split(',').Any(part => part.Split('-') switch
        {
            [var one] => int.Parse(one, CultureInfo.InvariantCulture) == status,
            [var low, var high] => status >= int.Parse(low, CultureInfo.InvariantCulture) && status <= int.Parse(high, CultureInfo.InvariantCulture),
            _ => false,
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "UDP backends down changed: {Count} down now")]
    private static partial void LogDownChanged(ILogger logger, int count);

    private sealed record Check(string Key, SnapshotBackend Backend, HealthCheckSpec Spec);

    private sealed record Running(Check Check, CancellationTokenSource Stop, Task Loop);

    /// <summary>A backend starts up (as nginx assumes) and changes state after rise passes or fall failures in a row.</summary>
    private sealed class Probe(string backendId)
    {
        private int _streak;

        public string BackendId { get; } = backendId;

        public bool Up { get; private set; } = true;

        /// <summary>Counts one probe; true when the backend changed state with it.</summary>
        public bool Count(bool passed, int rise, int fall)
        {
            _streak = passed == Up ? 0 : _streak + 1;
            if (_streak < (Up ? fall : rise))
            {
                return false;
            }

            Up = !Up;
            _streak = 0;
            return true;
        }
    }
}
