using System.Diagnostics;
using System.Diagnostics.Metrics;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Metrics;

/// <summary>
/// The control plane's own series, served at <c>/metrics</c> beside ASP.NET Core's request durations: each cluster's
/// revision and every node's applied one (read from the database at each scrape, so every replica shows the same),
/// the agents' long polls held open, heartbeats taken and refused, and how long a write takes to reach every online
/// node of its cluster. Labels are operator objects only (cluster and node ids), never tenant names.
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "Fulcrum.Server";

    /// <summary>Revisions of one cluster waiting for its nodes: beyond this the oldest is forgotten, unmeasured.</summary>
    private const int PendingPerCluster = 1000;

    private readonly Histogram<double> _propagation;
    private readonly Counter<long> _heartbeats;
    private readonly UpDownCounter<long> _watchers;
    private readonly IServiceScopeFactory _scopes;
    private readonly Dictionary<string, Queue<(long Revision, long CommittedAt)>> _pending = new(StringComparer.Ordinal);

    public ServerMetrics(IMeterFactory meters, IServiceScopeFactory scopes)
    {
        _scopes = scopes;
        var meter = meters.Create(MeterName);
        _propagation = meter.CreateHistogram(
            "fulcrum.propagation.duration",
            unit: "s",
            description: "From a write committed on this replica to every online node of its cluster reporting the revision applied.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _heartbeats = meter.CreateCounter<long>("fulcrum.heartbeats", description: "Node heartbeats by result: accepted, or refused (invalid report, removed node).");
        _watchers = meter.CreateUpDownCounter<long>("fulcrum.watchers", description: "Agents' snapshot long polls waiting on this replica.");
        meter.CreateObservableGauge("fulcrum.cluster.revision", ClusterRevisions, description: "Each cluster's revision: every write moves it by one.");
        meter.CreateObservableGauge("fulcrum.node.applied_revision", NodeRevisions, description: "The revision each node last reported applied.");
    }

    /// <summary>Revisions this replica committed: their propagation is measured from now.</summary>
    public void Committed(IReadOnlyDictionary<string, long> revisions)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_pending)
        {
            foreach (var (clusterId, revision) in revisions)
            {
                if (!_pending.TryGetValue(clusterId, out var queue))
                {
                    _pending[clusterId] = queue = new Queue<(long, long)>();
                }

                queue.Enqueue((revision, now));
                if (queue.Count > PendingPerCluster)
                {
                    queue.Dequeue();
                }
            }
        }
    }

    /// <summary>Whether a revision of the cluster committed here waits for its nodes (only then is the database asked).</summary>
    public bool AwaitsNodes(string clusterId)
    {
        lock (_pending)
        {
            return _pending.ContainsKey(clusterId);
        }
    }

    /// <summary>Every online node of the cluster has applied <paramref name="revision"/>: it and those before it have propagated.</summary>
    public void Propagated(string clusterId, long revision)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_pending)
        {
            if (!_pending.TryGetValue(clusterId, out var queue))
            {
                return;
            }

            var tag = new KeyValuePair<string, object?>("cluster_id", clusterId);
            while (queue.TryPeek(out var pending) && pending.Revision <= revision)
            {
                queue.Dequeue();
                _propagation.Record(Stopwatch.GetElapsedTime(pending.CommittedAt, now).TotalSeconds, tag);
            }

            if (queue.Count == 0)
            {
                _pending.Remove(clusterId);
            }
        }
    }

    /// <summary>One long poll waiting, until disposed.</summary>
    public IDisposable Watching(string clusterId)
    {
        var tag = new KeyValuePair<string, object?>("cluster_id", clusterId);
        _watchers.Add(1, tag);
        return new Watch(_watchers, tag);
    }

    /// <summary>Counts every heartbeat through the endpoint: refused when it ends in an error answer.</summary>
    public static async ValueTask<object?> CountHeartbeatsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var metrics = context.HttpContext.RequestServices.GetRequiredService<ServerMetrics>();
        var cluster = new KeyValuePair<string, object?>("cluster_id", context.HttpContext.User.FindFirst(NodeCaller.ClusterClaim)?.Value);
        try
        {
            var result = await next(context);
            metrics._heartbeats.Add(1, cluster, new("result", "accepted"));
            return result;
        }
        catch (Exception) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            metrics._heartbeats.Add(1, cluster, new("result", "refused"));
            throw;
        }
    }

    private IEnumerable<Measurement<long>> ClusterRevisions() =>
        Query(db => db.Clusters.AsNoTracking().Select(c => new { c.Id, c.Revision }).AsEnumerable()
            .Select(c => new Measurement<long>(c.Revision, new KeyValuePair<string, object?>("cluster_id", c.Id))));

    private IEnumerable<Measurement<long>> NodeRevisions() =>
        Query(db => db.Nodes.AsNoTracking().Select(n => new { n.Id, n.ClusterId, n.AppliedRevision }).AsEnumerable()
            .Select(n => new Measurement<long>(n.AppliedRevision, new("cluster_id", n.ClusterId), new("node_id", n.Id))));

    /// <summary>A scrape reads the database once per gauge; a database that does not answer leaves the gauge out.</summary>
    private List<Measurement<long>> Query(Func<FulcrumDbContext, IEnumerable<Measurement<long>>> read)
    {
        using var scope = _scopes.CreateScope();
        try
        {
            return [.. read(scope.ServiceProvider.GetRequiredService<FulcrumDbContext>())];
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            return [];
        }
    }

    private sealed class Watch(UpDownCounter<long> watchers, KeyValuePair<string, object?> tag) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                watchers.Add(-1, tag);
            }
        }
    }
}
