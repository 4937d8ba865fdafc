using Fulcrum.Core.Api;

namespace Fulcrum.Agent.Reporting;

/// <summary>
/// What the node's heartbeats carry: its whole picture first (after a start, a failed heartbeat, or when the server
/// asks), then only what changed since the last picture the server took — so a steady node's heartbeat stays small
/// however many backends and listeners it serves. A picture larger than one report may hold is split: a whole report
/// with the first <see cref="NodeReports.MaxEntries"/> entries, then reports of changes with the rest.
/// </summary>
public sealed class HeartbeatReports
{
    private readonly int _maxEntries;
    private Dictionary<string, BackendHealth>? _backends;
    private Dictionary<string, ListenerCounters>? _listeners;
    private (Dictionary<string, BackendHealth>, Dictionary<string, ListenerCounters>)? _pending;

    public HeartbeatReports(int maxEntries = NodeReports.MaxEntries) => _maxEntries = maxEntries;

    /// <summary>
    /// The reports that take the server from what it has to this picture, to send in order; <paramref name="facts"/>
    /// gives everything but the entries. Once all are taken, <see cref="Taken"/>; when one fails, <see cref="WholeNext"/>.
    /// </summary>
    public IReadOnlyList<NodeReport> For(NodeReport facts, IReadOnlyList<BackendHealthReport> backends, IReadOnlyList<ListenerCounters> listeners)
    {
        var backendNow = new Dictionary<string, BackendHealth>(StringComparer.Ordinal);
        foreach (var backend in backends)
        {
            backendNow[backend.BackendId] = backend.Health;
        }

        var listenerNow = listeners.GroupBy(l => l.ListenerId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _pending = (backendNow, listenerNow);
        if (_backends is null || _listeners is null)
        {
            return Split(facts, [.. backendNow.Select(b => new BackendHealthReport(b.Key, b.Value))], [.. listenerNow.Values], whole: true);
        }

        var knownBackends = _backends;
        var knownListeners = _listeners;
        var stopped = knownListeners.Keys.Where(id => !listenerNow.ContainsKey(id)).ToList();
        if (stopped.Count > _maxEntries)
        {
            return Split(facts, [.. backendNow.Select(b => new BackendHealthReport(b.Key, b.Value))], [.. listenerNow.Values], whole: true);
        }

        List<BackendHealthReport> changedBackends =
        [
            .. backendNow.Where(b => !knownBackends.TryGetValue(b.Key, out var known) || known != b.Value).Select(b => new BackendHealthReport(b.Key, b.Value)),
            .. knownBackends.Where(b => b.Value != BackendHealth.Unknown && !backendNow.ContainsKey(b.Key)).Select(b => new BackendHealthReport(b.Key, BackendHealth.Unknown)),
        ];
        List<ListenerCounters> changedListeners = [.. listenerNow.Values.Where(l => !knownListeners.TryGetValue(l.ListenerId, out var known) || known != l)];
        var reports = Split(facts, changedBackends, changedListeners, whole: false);
        reports[0] = reports[0] with { StoppedListeners = stopped };
        return reports;
    }

    /// <summary>The server took every report of the last <see cref="For"/>: they are what it has now.</summary>
    public void Taken()
    {
        if (_pending is { } pending)
        {
            (_backends, _listeners) = pending;
            _pending = null;
        }
    }

    /// <summary>The server may not have what was sent, or asked for the whole picture: the next reports carry it.</summary>
    public void WholeNext()
    {
        _backends = null;
        _listeners = null;
        _pending = null;
    }

    private List<NodeReport> Split(NodeReport facts, List<BackendHealthReport> backends, List<ListenerCounters> listeners, bool whole)
    {
        var reports = new List<NodeReport>();
        for (var start = 0; reports.Count == 0 || start < Math.Max(backends.Count, listeners.Count); start += _maxEntries)
        {
            reports.Add(facts with
            {
                Backends = [.. backends.Skip(start).Take(_maxEntries)],
                Listeners = [.. listeners.Skip(start).Take(_maxEntries)],
                Changes = !whole || start > 0,
                StoppedListeners = [],
            });
        }

        return reports;
    }
}
