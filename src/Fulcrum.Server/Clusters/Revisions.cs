using System.Text.Json;
using Fulcrum.Core.Json;
using Fulcrum.Server.Agent;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Fulcrum.Server.Clusters;

/// <summary>What a change touches on the nodes: the clusters whose revision moves, and the load balancers in them.</summary>
public sealed class Affected
{
    public SortedSet<string> Clusters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> LoadBalancers { get; } = new(StringComparer.Ordinal);

    public static Affected None => new();

    public static Affected Cluster(string clusterId) => new Affected().AddCluster(clusterId);

    public static Affected LoadBalancer(string loadBalancerId, string clusterId) => new Affected().AddLoadBalancer(loadBalancerId, clusterId);

    public Affected AddCluster(string clusterId)
    {
        Clusters.Add(clusterId);
        return this;
    }

    public Affected AddLoadBalancer(string loadBalancerId, string clusterId)
    {
        LoadBalancers[loadBalancerId] = clusterId;
        return AddCluster(clusterId);
    }

    public void Add(Affected other)
    {
        Clusters.UnionWith(other.Clusters);
        foreach (var (loadBalancerId, clusterId) in other.LoadBalancers)
        {
            LoadBalancers[loadBalancerId] = clusterId;
        }
    }
}

public static class Revisions
{
    /// <summary>
    /// Saves the pending changes and moves the revision of every affected cluster in the same transaction. The
    /// increment is done by the database (<c>revision = revision + 1</c>), which also serialises concurrent changes to
    /// one cluster across server replicas; clusters are locked in id order so that two changes never deadlock. Once
    /// committed, this replica's agents' long polls are woken at once (other replicas see it by polling). Inside
    /// <see cref="InOneRevisionAsync"/> the revisions move once, at its end.
    /// </summary>
    public static async Task SaveAsync(this FulcrumDbContext db, Affected affected, CancellationToken cancellationToken)
    {
        if (db.OneRevision is { } pending)
        {
            pending.Add(affected);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        if (affected.Clusters.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var revisions = await MoveAsync(db, affected, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.GetService<RevisionWatcher>().Committed(revisions);
    }

    /// <summary>
    /// Runs several writes as one change: one transaction, and each affected cluster's revision moved once, so the
    /// nodes never see a part of it. Nothing is kept when <paramref name="writes"/> throws.
    /// </summary>
    public static async Task<T> InOneRevisionAsync<T>(this FulcrumDbContext db, Func<Task<T>> writes, CancellationToken cancellationToken)
    {
        if (db.OneRevision is not null)
        {
            // Inside an enclosing change (a dry run): its transaction and its revision count for these writes too.
            return await writes();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var affected = new Affected();
        db.OneRevision = affected;
        T result;
        try
        {
            result = await writes();
        }
        finally
        {
            db.OneRevision = null;
        }

        var revisions = await MoveAsync(db, affected, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.GetService<RevisionWatcher>().Committed(revisions);
        return result;
    }

    private static async Task<Dictionary<string, long>> MoveAsync(FulcrumDbContext db, Affected affected, CancellationToken cancellationToken)
    {
        var revisions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var clusterId in affected.Clusters)
        {
            await db.Clusters.Where(c => c.Id == clusterId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Revision, c => c.Revision + 1), cancellationToken);
            var revision = await db.Clusters.Where(c => c.Id == clusterId).Select(c => c.Revision).SingleAsync(cancellationToken);
            revisions[clusterId] = revision;
            SetUnmodified(db, db.Clusters.Local.FirstOrDefault(c => c.Id == clusterId), c => c.Revision, revision);
        }

        foreach (var (loadBalancerId, clusterId) in affected.LoadBalancers)
        {
            var revision = revisions[clusterId];
            var tracked = db.LoadBalancers.Local.FirstOrDefault(lb => lb.Id == loadBalancerId);
            if (tracked is not null && db.Entry(tracked).State is EntityState.Added or EntityState.Modified)
            {
                tracked.Revision = revision;
                continue;
            }

            await db.LoadBalancers.Where(lb => lb.Id == loadBalancerId)
                .ExecuteUpdateAsync(s => s.SetProperty(lb => lb.Revision, revision), cancellationToken);
            SetUnmodified(db, tracked, lb => lb.Revision, revision);
        }

        return revisions;
    }

    /// <summary>True when two specs serialise alike: an update to the same values writes nothing and moves no revision.</summary>
    public static bool Same<T>(T left, T right) =>
        JsonSerializer.Serialize(left, FulcrumJson.Options) == JsonSerializer.Serialize(right, FulcrumJson.Options);

    private static void SetUnmodified<TEntity>(FulcrumDbContext db, TEntity? entity, System.Linq.Expressions.Expression<Func<TEntity, long>> property, long value)
        where TEntity : class
    {
        if (entity is null)
        {
            return;
        }

        var entry = db.Entry(entity).Property(property);
        entry.CurrentValue = value;
        entry.OriginalValue = value;
        entry.IsModified = false;
    }
}
