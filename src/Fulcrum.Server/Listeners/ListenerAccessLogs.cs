using Fulcrum.Core.Api;

namespace Fulcrum.Server.Listeners;

/// <summary>
/// The newest access-log lines of each listener, as its cluster's MASTER reported them with its heartbeats, for the
/// API and the console. Kept in memory and bounded: <see cref="Capacity"/> lines a listener, and a listener whose
/// MASTER sent nothing for <see cref="Span"/> is forgotten (so deleted listeners go too). The whole log is on each
/// node, in its files; this is only a window on it, which starts empty again with the server.
/// </summary>
public sealed class ListenerAccessLogs(TimeProvider time)
{
    public const int Capacity = 500;

    public static readonly TimeSpan Span = TimeSpan.FromHours(1);

    private readonly Dictionary<string, Ring> _rings = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Takes lines of the given listeners, which the caller checked belong to the reporting node's cluster.</summary>
    public void Record(IEnumerable<ListenerAccessLog> logs)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var (id, _) in _rings.Where(r => r.Value.UpdatedAt < now - Span).ToList())
            {
                _rings.Remove(id);
            }

            foreach (var log in logs)
            {
                if (!_rings.TryGetValue(log.ListenerId, out var ring))
                {
                    ring = new Ring();
                    _rings[log.ListenerId] = ring;
                }

                foreach (var line in log.Lines)
                {
                    if (ring.Lines.Count == Capacity)
                    {
                        ring.Lines.Dequeue();
                    }

                    ring.Lines.Enqueue(line);
                }

                ring.UpdatedAt = now;
            }
        }
    }

    /// <summary>The newest <paramref name="limit"/> lines of the listener, oldest first.</summary>
    public IReadOnlyList<AccessLogEntry> Newest(string listenerId, int limit)
    {
        lock (_gate)
        {
            return _rings.TryGetValue(listenerId, out var ring) ? [.. ring.Lines.Skip(Math.Max(0, ring.Lines.Count - limit))] : [];
        }
    }

    private sealed class Ring
    {
        public Queue<AccessLogEntry> Lines { get; } = new();

        public DateTimeOffset UpdatedAt { get; set; }
    }
}
