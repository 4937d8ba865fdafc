using System.Net;
using Fulcrum.Agent.Processes;
using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Snapshots;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.Apply;

/// <summary>
/// How a MASTER told to stand aside hands its VIPs over without cutting a connection. Were it to go to FAULT at once,
/// a request in flight would be reset: its next packet reaches the new MASTER, which knows nothing of it. So first the
/// node stops taking new TCP connections on its VIPs — their SYNs are dropped unanswered, and each client sends its
/// SYN again a second later, to whichever node holds the VIP by then — and waits for the connections haproxy serves
/// to close, up to <paramref name="timeout"/> (a keep-alive connection its client leaves open holds it that long).
/// The hold stays while the node stands aside, holding no VIP, and is lifted before it takes part again. UDP has no
/// connection to drain: its next datagram simply goes to the new MASTER.
/// </summary>
/// <param name="sendStats">One command on haproxy's stats socket; null when haproxy does not answer.</param>
public sealed partial class VipDrain(
    IDataplane dataplane, Func<string, CancellationToken, Task<string?>> sendStats, TimeProvider time, TimeSpan timeout, ILogger logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Holds new connections on the snapshot's VIPs and waits until haproxy serves none (or does not answer), or the
    /// timeout passes; the connections still open then, which the hand-over cuts.
    /// </summary>
    public async Task<long> DrainAsync(ClusterSnapshot snapshot, CancellationToken ct)
    {
        var vips = snapshot.LoadBalancers.Select(lb => IPAddress.Parse(lb.Vip)).Distinct().ToList();
        if (!await dataplane.HoldNewConnectionsAsync(vips, ct))
        {
            return await OpenAsync(ct);
        }

        var started = time.GetTimestamp();
        long open;
        while ((open = await OpenAsync(ct)) > 0 && time.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(Poll, time, ct);
        }

        var took = time.GetElapsedTime(started);
        LogDrained(logger, vips.Count, took.TotalMilliseconds, open);
        return open;
    }

    /// <summary>Lets the node take new connections on every address again.</summary>
    public Task LiftAsync(CancellationToken ct) => dataplane.HoldNewConnectionsAsync([], ct);

    private async Task<long> OpenAsync(CancellationToken ct) =>
        await sendStats(HaproxyStatsReader.FrontendsCommand, ct) is { } csv ? HaproxyStats.Parse(csv).Listeners.Sum(l => l.CurrentConnections) : 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained {Vips} VIPs in {Milliseconds:F0} ms before standing aside; {Open} connections still open")]
    private static partial void LogDrained(ILogger logger, int vips, double milliseconds, long open);
}
