using Fulcrum.Server.Agent;

namespace Fulcrum.Server.Console.Shell;

/// <summary>What moved: a cluster's revision or a node's reported facts (<see cref="ClusterId"/> set), or the clock.</summary>
/// <remarks>The tick (<see cref="IsTick"/>) is for states that change with time alone: a node whose heartbeats stop goes offline.</remarks>
public sealed record ClusterChange(string? ClusterId)
{
    public static readonly ClusterChange Tick = new((string?)null);

    public bool IsTick => ClusterId is null;
}

/// <summary>
/// The console's live-change feed: revisions committed by this replica (<c>RevisionWatcher</c>), heartbeats that
/// change what a node shows, and a tick every <see cref="TickInterval"/> while anybody listens. Pages subscribe and
/// re-read; none runs a polling loop of its own. Handlers run on the thread pool, never on the publisher's thread:
/// a heartbeat does not wait for a page to render.
/// </summary>
public sealed partial class ClusterEvents : IDisposable
{
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly ITimer _timer;
    private readonly ILogger<ClusterEvents> _logger;

    public ClusterEvents([FromKeyedServices(RevisionWatcher.ClockKey)] TimeProvider time, ILogger<ClusterEvents> logger)
    {
        _logger = logger;
        _timer = time.CreateTimer(_ => Publish(ClusterChange.Tick), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Calls <paramref name="handler"/> on every change until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Func<ClusterChange, Task> handler)
    {
        var subscription = new Subscription(this, handler);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
            if (_subscriptions.Count == 1)
            {
                _timer.Change(TickInterval, TickInterval);
            }
        }

        return subscription;
    }

    public void Publish(ClusterChange change)
    {
        Subscription[] subscriptions;
        lock (_gate)
        {
            subscriptions = [.. _subscriptions];
        }

        foreach (var subscription in subscriptions)
        {
            _ = Task.Run(() => subscription.InvokeAsync(change));
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (_subscriptions.Remove(subscription) && _subscriptions.Count == 0)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A console page failed to handle a live change")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);

    private sealed class Subscription(ClusterEvents events, Func<ClusterChange, Task> handler) : IDisposable
    {
        public async Task InvokeAsync(ClusterChange change)
        {
            try
            {
                await handler(change);
            }
            catch (Exception e)
            {
                LogHandlerFailed(events._logger, e);
            }
        }

        public void Dispose() => events.Remove(this);
    }
}
