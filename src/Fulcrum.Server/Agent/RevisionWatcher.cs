using Fulcrum.Server.Console.Shell;
using Fulcrum.Server.Metrics;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Agent;

/// <summary>
/// Wakes the agents' long polls when their cluster's revision moves. A change committed by this replica wakes them at
/// once (<see cref="Committed"/>, called by <c>Revisions.SaveAsync</c>); a change committed by another replica on the
/// same database is seen by polling, every <see cref="PollInterval"/>, the revisions of the clusters that have
/// waiters — one query for all of them, none while nobody waits. A waiter is released by any revision above the one it
/// has, so a change that lands between a poll's first read and its registration is not lost.
/// </summary>
/// <remarks>
/// Waiting is measured on <see cref="ClockKey"/>, the real clock, and not on the injected <see cref="TimeProvider"/>:
/// that one is the domain clock (timestamps, expiry, nodes going offline), which the tests hold still and move by
/// hand; a long poll's deadline and this loop are about time elapsing in this process. Tests keep waits short with
/// <c>waitSeconds</c>.
/// </remarks>
public sealed partial class RevisionWatcher(
    IServiceScopeFactory scopes,
    [FromKeyedServices(RevisionWatcher.ClockKey)] TimeProvider clock,
    ClusterEvents events,
    ServerMetrics metrics,
    ILogger<RevisionWatcher> logger)
    : BackgroundService
{
    public const string ClockKey = "fulcrum:waits";

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Waiter>> _waiters = new(StringComparer.Ordinal);
    private readonly List<(string ClusterId, TaskCompletionSource Seen)> _whenWaiting = [];
    private bool _stopping;
    private bool _failing;

    /// <summary>
    /// True once the revision of <paramref name="clusterId"/> is above <paramref name="after"/>; false when
    /// <paramref name="timeout"/> passes first or the server is stopping (the agent then asks again, perhaps of
    /// another replica). Throws when <paramref name="cancellationToken"/> is cancelled (the client went away).
    /// </summary>
    public async Task<bool> WaitAsync(string clusterId, long after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(after);
        lock (_gate)
        {
            if (_stopping)
            {
                return false;
            }

            if (!_waiters.TryGetValue(clusterId, out var waiters))
            {
                _waiters[clusterId] = waiters = [];
            }

            waiters.Add(waiter);
            foreach (var observer in _whenWaiting.Where(w => w.ClusterId == clusterId).ToList())
            {
                observer.Seen.TrySetResult();
                _whenWaiting.Remove(observer);
            }
        }

        try
        {
            return await waiter.Released.Task.WaitAsync(timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            Remove(clusterId, waiter);
        }
    }

    /// <summary>
    /// This replica committed these cluster revisions: release their waiters now rather than at the next poll, and
    /// tell the console.
    /// </summary>
    public void Committed(IReadOnlyDictionary<string, long> revisions)
    {
        metrics.Committed(revisions);
        foreach (var (clusterId, revision) in revisions)
        {
            Release(clusterId, revision);
            events.Publish(new ClusterChange(clusterId));
        }
    }

    /// <summary>Completes once a long poll waits on <paramref name="clusterId"/>: tests change things only then.</summary>
    internal Task WaitingAsync(string clusterId)
    {
        lock (_gate)
        {
            if (_waiters.ContainsKey(clusterId))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _whenWaiting.Add((clusterId, seen));
            return seen.Task;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stopping = true;
            foreach (var waiter in _waiters.Values.SelectMany(w => w))
            {
                waiter.Released.TrySetResult(false);
            }

            _waiters.Clear();
        }

        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PollAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync has released every waiter.
        }
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        List<string> clusterIds;
        lock (_gate)
        {
            clusterIds = [.. _waiters.Keys];
        }

        if (clusterIds.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FulcrumDbContext>();
            var revisions = await db.Clusters.AsNoTracking().Where(c => clusterIds.Contains(c.Id))
                .Select(c => new { c.Id, c.Revision })
                .ToListAsync(stoppingToken);
            foreach (var cluster in revisions)
            {
                Release(cluster.Id, cluster.Revision);
            }

            if (_failing)
            {
                _failing = false;
                LogPollRecovered(logger);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Logged once per outage, not ten times a second; long polls end by their timeout meanwhile.
            if (!_failing)
            {
                _failing = true;
                LogPollFailed(logger, e);
            }
        }
    }

    private void Release(string clusterId, long revision)
    {
        lock (_gate)
        {
            if (!_waiters.TryGetValue(clusterId, out var waiters))
            {
                return;
            }

            foreach (var waiter in waiters.Where(w => w.After < revision))
            {
                waiter.Released.TrySetResult(true);
            }
        }
    }

    private void Remove(string clusterId, Waiter waiter)
    {
        lock (_gate)
        {
            if (_waiters.TryGetValue(clusterId, out var waiters) && waiters.Remove(waiter) && waiters.Count == 0)
            {
                _waiters.Remove(clusterId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read cluster revisions for the agents' long polls; they end by their timeout until the database answers again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading cluster revisions for the agents' long polls works again")]
    private static partial void LogPollRecovered(ILogger logger);

    private sealed class Waiter(long after)
    {
        public long After { get; } = after;

        /// <summary>Completed under the lock; its continuations run on the thread pool, not inline there.</summary>
        public TaskCompletionSource<bool> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
