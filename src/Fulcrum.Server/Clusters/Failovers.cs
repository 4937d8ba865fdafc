using Fulcrum.Core.Api;
using Fulcrum.Server.Agent;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Fulcrum.Server.Clusters;

/// <summary>The end of a manual failover (<see cref="ClusterOperations.FailoverAsync"/>), which the nodes' heartbeats bring.</summary>
public static class Failovers
{
    /// <summary>
    /// Ends the cluster's failover under way once it is done with: its target reports MASTER (it holds the VIPs) or
    /// FAULT (it cannot take them), or <paramref name="timeout"/> has passed since it was asked for. The revision moves,
    /// so the nodes that stood aside take part in VRRP again. True when this call ended one.
    /// </summary>
    public static async Task<bool> EndIfDoneAsync(
        FulcrumDbContext db, string clusterId, string reportingNodeId, VrrpState reported, DateTime now, TimeSpan timeout, CancellationToken ct)
    {
        var failover = await db.Clusters.AsNoTracking()
            .Where(c => c.Id == clusterId && c.FailoverTargetNodeId != null)
            .Select(c => new { Target = c.FailoverTargetNodeId, At = c.FailoverRequestedAt })
            .SingleOrDefaultAsync(ct);
        var reachedTarget = failover?.Target == reportingNodeId && reported is VrrpState.Master or VrrpState.Fault;
        if (failover is null || !(reachedTarget || failover.At <= now - timeout))
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Conditional on the failover read above: of two heartbeats that both find it done, one ends it.
        var ended = await db.Clusters.Where(c => c.Id == clusterId && c.FailoverTargetNodeId == failover.Target && c.FailoverRequestedAt == failover.At)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.FailoverFromNodeId, (string?)null)
                    .SetProperty(c => c.FailoverTargetNodeId, (string?)null)
                    .SetProperty(c => c.FailoverRequestedAt, (DateTime?)null)
                    .SetProperty(c => c.Revision, c => c.Revision + 1),
                ct);
        if (ended == 0)
        {
            return false;
        }

        var revision = await db.Clusters.Where(c => c.Id == clusterId).Select(c => c.Revision).SingleAsync(ct);
        await transaction.CommitAsync(ct);
        db.GetService<RevisionWatcher>().Committed(new Dictionary<string, long>(StringComparer.Ordinal) { [clusterId] = revision });
        return true;
    }
}
