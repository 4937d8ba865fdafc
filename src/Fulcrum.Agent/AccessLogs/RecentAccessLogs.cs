using Fulcrum.Core.Api;

namespace Fulcrum.Agent.AccessLogs;

/// <summary>
/// The newest lines of each listener not yet taken by the server, for the MASTER's heartbeats: at most
/// <see cref="PerListener"/> a listener (older ones give way) and <see cref="MaxListeners"/> listeners, so a busy node's
/// memory and heartbeat stay bounded. Thread-safe: the receiver adds while the heartbeat takes.
/// </summary>
public sealed class RecentAccessLogs
{
    public const int PerListener = NodeReports.MaxAccessLogLines;
    public const int MaxListeners = NodeReports.MaxAccessLogListeners;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<AccessLogEntry>> _lines = new(StringComparer.Ordinal);

    public void Add(AccessLogEntry entry)
    {
        lock (_lock)
        {
            if (!_lines.TryGetValue(entry.ListenerId, out var queue))
            {
                if (_lines.Count >= MaxListeners)
                {
                    return;
                }

                queue = new Queue<AccessLogEntry>();
                _lines[entry.ListenerId] = queue;
            }

            if (queue.Count == PerListener)
            {
                queue.Dequeue();
            }

            queue.Enqueue(entry);
        }
    }

    /// <summary>The lines waiting, oldest first per listener; they stay until <see cref="Taken"/>.</summary>
    public IReadOnlyList<ListenerAccessLog> Pending()
    {
        lock (_lock)
        {
            return [.. _lines.Where(l => l.Value.Count > 0).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new ListenerAccessLog(l.Key, [.. l.Value]))];
        }
    }

    /// <summary>The server has these lines: they leave the buffer, the lines that came meanwhile stay.</summary>
    public void Taken(IReadOnlyList<ListenerAccessLog> sent)
    {
        lock (_lock)
        {
            foreach (var log in sent)
            {
                if (!_lines.TryGetValue(log.ListenerId, out var queue))
                {
                    continue;
                }

                var sentLines = log.Lines.ToHashSet(ReferenceEqualityComparer.Instance);
                var kept = queue.Where(line => !sentLines.Contains(line)).ToList();
                if (kept.Count == 0)
                {
                    _lines.Remove(log.ListenerId);
                }
                else
                {
                    _lines[log.ListenerId] = new Queue<AccessLogEntry>(kept);
                }
            }
        }
    }
}
