using System.Text.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;

namespace Fulcrum.Agent.AccessLogs;

/// <summary>
/// The newest lines of each listener not yet taken by the server, for the MASTER's heartbeats: at most
/// <see cref="PerListener"/> a listener (older ones give way) and <see cref="MaxListeners"/> listeners, so a busy node's
/// memory stays bounded; a heartbeat carries at most <see cref="MaxReportBytes"/> of them, so it stays well within
/// the server's request size. Thread-safe: the receiver adds while the heartbeat takes.
/// </summary>
public sealed class RecentAccessLogs
{
    public const int PerListener = NodeReports.MaxAccessLogLines;
    public const int MaxListeners = NodeReports.MaxAccessLogListeners;

    /// <summary>The lines' JSON in one heartbeat; the server takes request bodies of up to 4 MiB.</summary>
    public const int MaxReportBytes = 512 * 1024;

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

    /// <summary>
    /// The lines waiting, oldest first per listener, up to <paramref name="maxBytes"/> of JSON taken a line from each
    /// listener in turn, so that a busy listener does not crowd the others out; they stay until <see cref="Taken"/>.
    /// </summary>
    public IReadOnlyList<ListenerAccessLog> Pending(int maxBytes = MaxReportBytes)
    {
        lock (_lock)
        {
            var queues = _lines.Where(l => l.Value.Count > 0).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => (l.Key, Lines: l.Value.ToArray())).ToList();
            var taken = queues.Select(_ => new List<AccessLogEntry>()).ToList();
            var budget = maxBytes;
            for (var round = 0; round < PerListener && budget > 0; round++)
            {
                for (var i = 0; i < queues.Count && budget > 0; i++)
                {
                    if (round < queues[i].Lines.Length)
                    {
                        var line = queues[i].Lines[round];
                        budget -= JsonSerializer.SerializeToUtf8Bytes(line, FulcrumJson.Options).Length;
                        if (budget >= 0)
                        {
                            taken[i].Add(line);
                        }
                    }
                }
            }

            return [.. queues.Select((q, i) => new ListenerAccessLog(q.Key, taken[i])).Where(l => l.Lines.Count > 0)];
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
