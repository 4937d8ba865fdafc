using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Agent.Reporting;

/// <summary>
/// Reads haproxy's <c>show stat</c> for the heartbeat no more than the report needs: at 10,000 listeners one whole
/// read is megabytes to format and parse. Servers' rows (health) are read on every heartbeat only while some served
/// listener checks its servers — unchecked servers change only with an apply, so then they are read once per
/// generation served. Frontends' rows (listener counters) are read at most every <see cref="CountersEvery"/>, and at
/// once when a new generation is served, so a new listener shows without waiting.
/// </summary>
/// <param name="send">Sends one command to haproxy's stats socket; null when haproxy does not answer.</param>
public sealed class HaproxyStatsReader(Func<string, CancellationToken, Task<string?>> send, TimeProvider time)
{
    /// <summary>Servers (type 4) of every proxy.</summary>
    public const string ServersCommand = "show stat -1 4 -1";

    /// <summary>Frontends (type 1) of every proxy.</summary>
    public const string FrontendsCommand = "show stat -1 1 -1";

    public static readonly TimeSpan CountersEvery = TimeSpan.FromSeconds(10);

    private IReadOnlyList<BackendHealthReport> _health = [];
    private IReadOnlyList<ListenerCounters> _counters = [];
    private ClusterSnapshot? _healthOf;
    private ClusterSnapshot? _countersOf;
    private long _countersAt;

    /// <param name="served">The snapshot being served: a new one is read at once.</param>
    public async Task<(IReadOnlyList<BackendHealthReport> Backends, IReadOnlyList<ListenerCounters> Listeners)> ReadAsync(ClusterSnapshot? served, CancellationToken ct)
    {
        if (served is null || !ReferenceEquals(served, _healthOf) || Checked(served))
        {
            if (await send(ServersCommand, ct) is not { } servers)
            {
                return Forget();
            }

            _health = HaproxyStats.Parse(servers).Backends;
            _healthOf = served;
        }

        if (served is null || !ReferenceEquals(served, _countersOf) || time.GetElapsedTime(_countersAt) >= CountersEvery)
        {
            if (await send(FrontendsCommand, ct) is not { } frontends)
            {
                return Forget();
            }

            _counters = HaproxyStats.Parse(frontends).Listeners;
            _countersOf = served;
            _countersAt = time.GetTimestamp();
        }

        return (_health, _counters);
    }

    /// <summary>haproxy did not answer (restarting, or not started yet): nothing is reported, and all is read next time.</summary>
    private (IReadOnlyList<BackendHealthReport>, IReadOnlyList<ListenerCounters>) Forget()
    {
        _healthOf = null;
        _countersOf = null;
        return ([], []);
    }

    /// <summary>Whether haproxy health-checks any server of <paramref name="snapshot"/> (nginx's UDP backends are the agent's own checks).</summary>
    private static bool Checked(ClusterSnapshot snapshot) =>
        snapshot.LoadBalancers.Any(lb => lb.Enabled && lb.Listeners.Any(l => l.Enabled && l.Protocol is not ListenerProtocol.Udp && l.HealthCheck is not null));
}
