using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.Apply;

/// <summary>
/// Active health checks for UDP backends, which open-source nginx cannot do: the agent probes each backend of a udp
/// listener that has a health check (a datagram with an expected answer, a TCP connect, or an HTTP request), counts
/// rise and fall like haproxy does, and when the set of down backends changes it re-renders nginx with them marked
/// <c>down</c>. Their health goes into the heartbeat with haproxy's.
/// </summary>
public sealed partial class UdpHealthChecks(Applier applier, TimeProvider time, ILogger<UdpHealthChecks> logger) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, Probe> _probes = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false });

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
        while (!stoppingToken.IsCancellationRequested)
        {
            var checks = Checks(applier.Snapshot);
            if (checks.Count == 0)
            {
                await Task.Delay(Idle, time, stoppingToken);
                continue;
            }

            var round = time.GetTimestamp();
            await Task.WhenAll(checks.Select(check => RunAsync(check, stoppingToken)));
            var down = Down(checks);
            if (!down.SetEquals(applier.DownBackendIds))
            {
                LogDownChanged(logger, down.Count);
                await applier.UseDownBackendsAsync(down, stoppingToken);
            }

            var interval = TimeSpan.FromMilliseconds(checks.Min(c => c.Spec.IntervalMs ?? 2_000));
            var rest = interval - time.GetElapsedTime(round);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, time, stoppingToken);
            }
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

    private async Task RunAsync(Check check, CancellationToken ct)
    {
        var passed = await ProbeAsync(check, ct);
        lock (_probes)
        {
            _probes[check.Key].Count(passed, check.Spec.Rise ?? 2, check.Spec.Fall ?? 3);
        }
    }

    private async Task<bool> ProbeAsync(Check check, CancellationToken ct)
    {
        var target = new IPEndPoint(IPAddress.Parse(check.Backend.Address), check.Backend.Port);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(check.Spec.TimeoutMs ?? 1_000));
        try
        {
            return check.Spec.Type switch
            {
                HealthCheckType.Udp => await UdpAsync(target, check.Spec.Udp!, timeout.Token),
                HealthCheckType.Tcp => await TcpAsync(target, timeout.Token),
                _ => await HttpAsync(target, check.Spec.Http!, timeout.Token),
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

    /// <summary>A backend starts up (as nginx assumes) and changes state after rise passes or fall failures in a row.</summary>
    private sealed class Probe(string backendId)
    {
        private int _streak;

        public string BackendId { get; } = backendId;

        public bool Up { get; private set; } = true;

        public void Count(bool passed, int rise, int fall)
        {
            _streak = passed == Up ? 0 : _streak + 1;
            if (_streak >= (Up ? fall : rise))
            {
                Up = !Up;
                _streak = 0;
            }
        }
    }
}
