using System.Collections.Concurrent;

namespace Fulcrum.Server.Agent;

/// <summary>
/// How many snapshot long polls each node credential holds open on this replica. An agent needs one; a second
/// covers an agent restarted while its old poll still waits on a connection the server has not yet seen close. More
/// would let one stolen credential tie up the server's connections and memory.
/// </summary>
public sealed class LongPolls
{
    public const int MaxPerNode = 2;

    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>A slot for one waiting poll of <paramref name="nodeId"/>, released on dispose; null when all are taken.</summary>
    public IDisposable? TryEnter(string nodeId)
    {
        var open = _open.AddOrUpdate(nodeId, 1, (_, count) => count + 1);
        if (open > MaxPerNode)
        {
            Leave(nodeId);
            return null;
        }

        return new Slot(this, nodeId);
    }

    private void Leave(string nodeId)
    {
        if (_open.AddOrUpdate(nodeId, 0, (_, count) => count - 1) <= 0)
        {
            _open.TryRemove(new KeyValuePair<string, int>(nodeId, 0));
        }
    }

    private sealed class Slot(LongPolls polls, string nodeId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                polls.Leave(nodeId);
            }
        }
    }
}
