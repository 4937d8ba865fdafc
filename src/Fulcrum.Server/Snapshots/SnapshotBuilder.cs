using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Certificates;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Snapshots;

/// <summary>
/// Reads the whole desired state of a cluster in one transaction, so that the snapshot and its revision agree
/// even while other changes are being written.
/// </summary>
public sealed class SnapshotBuilder(FulcrumDbContext db, PrivateKeyProtector keys)
{
    public async Task<ClusterSnapshot?> BuildAsync(string clusterId, bool includePrivateKeys, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, ct);
        if (cluster is null)
        {
            return null;
        }

        var nodes = await db.Nodes.AsNoTracking().Where(n => n.ClusterId == clusterId).OrderBy(n => n.Priority).ToListAsync(ct);
        var loadBalancers = await db.LoadBalancers.AsNoTracking().Where(lb => lb.ClusterId == clusterId).OrderBy(lb => lb.Id).ToListAsync(ct);
        var listeners = (await db.Listeners.AsNoTracking().Where(l => l.ClusterId == clusterId).OrderBy(l => l.Port).ThenBy(l => l.Id).ToListAsync(ct))
            .ToLookup(l => l.LoadBalancerId);
        var rules = (await db.Rules.AsNoTracking().Where(r => r.ClusterId == clusterId)
                .OrderBy(r => r.Position).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct))
            .ToLookup(r => r.ListenerId);
        var groups = (await db.BackendGroups.AsNoTracking().Where(g => g.ClusterId == clusterId).OrderBy(g => g.Id).ToListAsync(ct))
            .ToLookup(g => g.LoadBalancerId);
        var backends = (await db.Backends.AsNoTracking().Where(b => b.ClusterId == clusterId).OrderBy(b => b.CreatedAt).ThenBy(b => b.Id).ToListAsync(ct))
            .ToLookup(b => b.BackendGroupId);

        // A failover whose target has gone since would have every node stand aside: it is over.
        var failoverTarget = nodes.Any(n => n.Id == cluster.FailoverTargetNodeId) ? cluster.FailoverTargetNodeId : null;
        var certificateIds = listeners.SelectMany(l => l).SelectMany(l => l.CertificateIds).ToHashSet(StringComparer.Ordinal);
        var aclIds = listeners.SelectMany(l => l).Select(l => l.AclId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var certificates = await db.Certificates.AsNoTracking().Where(c => certificateIds.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(ct);
        var acls = await db.Acls.AsNoTracking().Where(a => aclIds.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(ct);

        return new ClusterSnapshot(
            cluster.Id,
            cluster.Revision,
            cluster.Vrrp,
            nodes.Select(n => n.ToSnapshot(failoverTarget)).ToList(),
            loadBalancers.Select(lb => lb.ToSnapshot() with
            {
                Listeners = listeners[lb.Id].Select(l => l.ToSnapshot() with { Rules = rules[l.Id].Select(r => r.ToSnapshot()).ToList() }).ToList(),
                BackendGroups = groups[lb.Id].Select(g => g.ToSnapshot() with { Backends = backends[g.Id].Select(b => b.ToSnapshot()).ToList() }).ToList(),
            })
                .ToList(),
            certificates.Select(c => new SnapshotCertificate(c.Id, c.ChainPem, includePrivateKeys ? keys.Unprotect(c.ProtectedPrivateKey) : null)).ToList(),
            acls.Select(a => a.ToSnapshot()).ToList(),
            cluster.BackendAllowedRanges);
    }
}
