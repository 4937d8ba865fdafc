using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Fulcrum.Agent.Apply;
using Fulcrum.Core.Api;

namespace Fulcrum.Agent.Reporting;

/// <summary>
/// The node's series, served by <c>fulcrum-agent run --metrics-listen</c>: what the agent does (applies by phase,
/// reloads, runtime changes, restarts) is counted where it happens; what it serves (applied revision, VRRP state,
/// haproxy's listener and backend counters, backend health) is the picture of its last heartbeat. Listener and backend
/// series carry the ids the API shows. Per-object series are bounded: the first <see cref="ObjectSeriesLimit"/>
/// listeners and backends by id have their own; the rest are summed into one series with the id <c>_other</c>, and the
/// count of each kind is always there.
/// </summary>
public static class AgentMetrics
{
    public const string MeterName = "Fulcrum.Agent";
    public const string Other = "_other";
    public const int DefaultObjectSeriesLimit = 1000;

    private static readonly Meter Meter = new(MeterName);
    private static readonly string[] Classes = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

    private static readonly Histogram<double> ApplyPhases = Meter.CreateHistogram(
        "fulcrum.agent.apply.duration",
        unit: "s",
        description: "Time of each phase of an apply (render, validate, switch, runtime, reload) by the apply's outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Counter<long> Applies = Meter.CreateCounter<long>("fulcrum.agent.applies", description: "Applies by outcome: applied, refused, failed.");
    private static readonly Counter<long> Reloads = Meter.CreateCounter<long>("fulcrum.agent.reloads", description: "Reloads of a data-plane program, by tool.");
    private static readonly Counter<long> RuntimeChanges = Meter.CreateCounter<long>("fulcrum.agent.runtime_changes", description: "Servers changed through a tool's runtime API instead of a reload.");
    private static readonly Counter<long> Restarts = Meter.CreateCounter<long>("fulcrum.agent.restarts", description: "Data-plane programs the supervisor started again after they exited, by tool.");
    private static readonly Counter<long> VrrpTransitions = Meter.CreateCounter<long>("fulcrum.agent.vrrp.transitions", description: "VRRP state changes seen, by the state entered.");
    private static readonly Counter<long> AccessLogDrops = Meter.CreateCounter<long>("fulcrum.agent.access_log.dropped", description: "Access-log lines received but not written, the agent being too slow or its disk failing.");

    private static Picture _picture = new(0, VrrpState.Unknown, [], [], [], 0);

    static AgentMetrics()
    {
        Meter.CreateObservableGauge("fulcrum.agent.applied_revision", () => _picture.AppliedRevision, description: "The revision this node serves.");
        Meter.CreateObservableGauge("fulcrum.agent.vrrp.state", VrrpStates, description: "1 for the node's VRRP state (MASTER, BACKUP, FAULT, UNKNOWN), 0 for the others.");
        Meter.CreateObservableGauge("fulcrum.agent.listeners", () => _picture.ListenerCount, description: "Listeners haproxy serves on this node.");
        Meter.CreateObservableGauge("fulcrum.agent.backends", BackendsByHealth, description: "Backends this node checks, by health.");
        Meter.CreateObservableGauge("fulcrum.agent.listener.connections", () => Each(_picture.Listeners, "listener_id", c => c.Current), description: "Open connections of a listener.");
        Meter.CreateObservableCounter("fulcrum.agent.listener.connections.total", () => Each(_picture.Listeners, "listener_id", c => c.Total), description: "Connections a listener took since haproxy started.");
        Meter.CreateObservableCounter("fulcrum.agent.listener.received", () => Each(_picture.Listeners, "listener_id", c => c.BytesIn), unit: "By", description: "Bytes a listener received from clients.");
        Meter.CreateObservableCounter("fulcrum.agent.listener.sent", () => Each(_picture.Listeners, "listener_id", c => c.BytesOut), unit: "By", description: "Bytes a listener sent to clients.");
        Meter.CreateObservableCounter("fulcrum.agent.listener.http.responses", () => Responses(_picture.Listeners, "listener_id"), description: "HTTP responses of a listener, by class.");
        Meter.CreateObservableGauge("fulcrum.agent.backend.connections", () => Each(_picture.Backends, "backend_id", c => c.Current), description: "Open connections to a backend.");
        Meter.CreateObservableCounter("fulcrum.agent.backend.connections.total", () => Each(_picture.Backends, "backend_id", c => c.Total), description: "Connections made to a backend since haproxy started.");
        Meter.CreateObservableCounter("fulcrum.agent.backend.received", () => Each(_picture.Backends, "backend_id", c => c.BytesIn), unit: "By", description: "Bytes sent to a backend (haproxy's bin of the server).");
        Meter.CreateObservableCounter("fulcrum.agent.backend.sent", () => Each(_picture.Backends, "backend_id", c => c.BytesOut), unit: "By", description: "Bytes a backend answered (haproxy's bout of the server).");
        Meter.CreateObservableCounter("fulcrum.agent.backend.http.responses", () => Responses(_picture.Backends, "backend_id"), description: "HTTP responses of a backend, by class.");
        Meter.CreateObservableGauge("fulcrum.agent.backend.health", BackendHealthSeries, description: "A backend's health: 1 up, 0 down, -1 unknown.");
    }

    /// <summary>How many listeners, and how many backends, have series of their own (set once, at start).</summary>
    public static int ObjectSeriesLimit { get; set; } = DefaultObjectSeriesLimit;

    public static void Reloaded(string tool) => Reloads.Add(1, new KeyValuePair<string, object?>("tool", tool));

    public static void ChangedAtRuntime(string tool, int servers) => RuntimeChanges.Add(servers, new KeyValuePair<string, object?>("tool", tool));

    public static void AccessLogLineDropped() => AccessLogDrops.Add(1);

    public static void Restarted(string tool) => Restarts.Add(1, new KeyValuePair<string, object?>("tool", tool));

    /// <summary>What a heartbeat is about to report: the applied revision, the VRRP state and every backend's health.</summary>
    public static void Observe(long appliedRevision, VrrpState vrrp, IReadOnlyList<BackendHealthReport> health)
    {
        var before = _picture;
        if (before.Vrrp != vrrp)
        {
            VrrpTransitions.Add(1, new KeyValuePair<string, object?>("state", Name(vrrp)));
        }

        _picture = before with { AppliedRevision = appliedRevision, Vrrp = vrrp, Health = health };
    }

    /// <summary>
    /// haproxy's <c>show stat</c> as the heartbeat read it (<see cref="HaproxyStatsReader"/>): frontends' rows give the
    /// listeners' counters, servers' rows the backends'; each read replaces only its own part.
    /// </summary>
    public static void ObserveStats(string command, string csv)
    {
        var (listeners, backends) = StatCounters.Parse(csv);
        _picture = command == HaproxyStatsReader.FrontendsCommand
            ? _picture with { Listeners = Bound(listeners, ObjectSeriesLimit), ListenerCount = listeners.Count }
            : _picture with { Backends = Bound(backends, ObjectSeriesLimit) };
    }

    /// <summary>The first <paramref name="limit"/> objects by id, and one <see cref="Other"/> summing the rest.</summary>
    public static IReadOnlyList<StatCounters> Bound(IReadOnlyList<StatCounters> all, int limit)
    {
        var ordered = all.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        if (ordered.Count <= limit)
        {
            return ordered;
        }

        var rest = ordered.Skip(limit).ToList();
        var other = new StatCounters(
            Other,
            rest.Sum(c => c.Current),
            rest.Sum(c => c.Total),
            rest.Sum(c => c.BytesIn),
            rest.Sum(c => c.BytesOut),
            [.. Enumerable.Range(0, StatCounters.ResponseClasses).Select(i => rest.Sum(c => c.Responses[i]))]);
        return [.. ordered.Take(limit), other];
    }

    /// <summary>Times the phases of one apply; the phases are recorded once its outcome is known.</summary>
    public sealed class ApplyTimer
    {
        private readonly List<(string Phase, double Seconds)> _phases = [];
        private long _mark = Stopwatch.GetTimestamp();

        /// <summary>The phase that ends now began at the end of the previous one (or at the apply's start).</summary>
        public void Phase(string phase)
        {
            var now = Stopwatch.GetTimestamp();
            _phases.Add((phase, Stopwatch.GetElapsedTime(_mark, now).TotalSeconds));
            _mark = now;
        }

        /// <summary>Restarts the clock without recording: time between phases that is no phase of its own.</summary>
        public void Skip() => _mark = Stopwatch.GetTimestamp();

        public void Done(ApplyResult result)
        {
            var outcome = new KeyValuePair<string, object?>("outcome", result.ToString().ToLowerInvariant());
            foreach (var (phase, seconds) in _phases)
            {
                ApplyPhases.Record(seconds, new("phase", phase), outcome);
            }

            Applies.Add(1, outcome);
        }
    }

    private static IEnumerable<Measurement<int>> VrrpStates()
    {
        var vrrp = _picture.Vrrp;
        return Enum.GetValues<VrrpState>().Select(s => new Measurement<int>(s == vrrp ? 1 : 0, new KeyValuePair<string, object?>("state", Name(s))));
    }

    private static IEnumerable<Measurement<int>> BackendsByHealth() =>
        Enum.GetValues<BackendHealth>().Select(h => new Measurement<int>(_picture.Health.Count(b => b.Health == h), new KeyValuePair<string, object?>("health", h.ToString().ToLowerInvariant())));

    private static IEnumerable<Measurement<int>> BackendHealthSeries()
    {
        var health = _picture.Health.GroupBy(b => b.BackendId, StringComparer.Ordinal).Select(g => g.First()).OrderBy(b => b.BackendId, StringComparer.Ordinal).ToList();
        return health.Take(ObjectSeriesLimit).Select(b => new Measurement<int>(
            b.Health switch { BackendHealth.Up => 1, BackendHealth.Down => 0, _ => -1 },
            new KeyValuePair<string, object?>("backend_id", b.BackendId)));
    }

    private static IEnumerable<Measurement<long>> Each(IReadOnlyList<StatCounters> objects, string label, Func<StatCounters, long> value) =>
        objects.Select(c => new Measurement<long>(value(c), new KeyValuePair<string, object?>(label, c.Id)));

    private static IEnumerable<Measurement<long>> Responses(IReadOnlyList<StatCounters> objects, string label) =>
        objects.SelectMany(c => Enumerable.Range(0, StatCounters.ResponseClasses).Select(i => new Measurement<long>(
            c.Responses[i], new(label, c.Id), new("class", Classes[i]))));

    private static string Name(VrrpState state) => state.ToString().ToUpper(CultureInfo.InvariantCulture);

    private sealed record Picture(
        long AppliedRevision,
        VrrpState Vrrp,
        IReadOnlyList<BackendHealthReport> Health,
        IReadOnlyList<StatCounters> Listeners,
        IReadOnlyList<StatCounters> Backends,
        int ListenerCount);
}
