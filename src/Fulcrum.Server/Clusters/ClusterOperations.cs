using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Snapshots;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Clusters;

/// <summary>Clusters' reads and writes: an admin's to shape; every caller may read them, to place load balancers.</summary>
public sealed class ClusterOperations(FulcrumDbContext db, SnapshotBuilder snapshots, TimeProvider time, IOptions<FulcrumServerOptions> options, AuditLog audit)
{
    private const string Kind = "cluster";

    public async Task<Page<ClusterResponse>> ListAsync(Caller caller, int? offset, int? limit, CancellationToken ct)
    {
        var page = await db.Clusters.AsNoTracking().PageAsync(offset, limit, (Cluster c) => c, ct);
        var masters = await MastersAsync([.. page.Items.Select(c => c.Id)], ct);
        return new Page<ClusterResponse>([.. page.Items.Select(c => c.ToResponse([.. masters[c.Id]]))], page.Total, page.Offset, page.Limit);
    }

    public async Task<Versioned<ClusterResponse>> GetAsync(Caller caller, string id, CancellationToken ct) =>
        await ResponseAsync(await db.Clusters.AsNoTracking().ByIdAsync(id, Kind, ct), ct);

    /// <summary>The cluster's desired state as its agents consume it, without private keys.</summary>
    public async Task<ClusterSnapshot> SnapshotAsync(Caller caller, string id, CancellationToken ct)
    {
        caller.RequireAdmin();
        return await snapshots.BuildAsync(id, includePrivateKeys: false, ct) ?? throw ProblemException.NotFound(Kind, id);
    }

    public Task<Versioned<ClusterResponse>> CreateAsync(Caller caller, ClusterRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.Cluster, null, async () =>
        {
            caller.RequireAdmin();
            var spec = await ValidateAsync(request, write.Errors, null, ct);
            var now = time.UtcDateTime();
            var cluster = new Cluster { Id = Ids.New("cl"), Name = spec.Name!, CreatedAt = now, UpdatedAt = now, Revision = 1 };
            cluster.Apply(spec);
            db.Clusters.Add(cluster);
            await db.SaveAsync(Affected.None, ct);
            return Versioned.Of(cluster, cluster.ToResponse());
        });

    public Task<Versioned<ClusterResponse>> UpdateAsync(Caller caller, string id, ClusterRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.Cluster, id, async () =>
        {
            caller.RequireAdmin();
            var cluster = await db.Clusters.ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            var spec = await ValidateAsync(request, write.Errors, id, ct);
            await db.UpdateAsync(cluster, spec, Writes.Moves(Affected.Cluster(id)), time.UtcDateTime(), ct, beforeChange: () => CheckBackendsStillAllowedAsync(cluster, spec, ct));
            return await ResponseAsync(cluster, ct);
        });

    /// <summary>
    /// Moves the VIPs off the MASTER now: every node but the target stands aside (its keepalived goes to FAULT, the
    /// MASTER hands over with a priority 0 advert) until the target reports MASTER, then takes part in VRRP again,
    /// where nopreempt keeps the VIPs on the target. A cluster that preempts would take them back to its node of
    /// highest priority at once, so it is refused there: maintenance is what moves them for good.
    /// </summary>
    public Task<Versioned<ClusterResponse>> FailoverAsync(Caller caller, string id, FailoverRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "failover", AuditResources.Cluster, id, async () =>
        {
            caller.RequireAdmin();
            var cluster = await db.Clusters.ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            var target = await db.Nodes.AsNoTracking().ReferenceAsync(request.TargetNodeId, write.Errors, "targetNodeId", "node", ct);
            if (target is not null && target.ClusterId != id)
            {
                write.Errors.Add("targetNodeId", $"node '{target.Id}' is not a node of cluster '{id}'.");
            }

            write.Errors.ThrowIfAny();
            if (cluster.Preempt)
            {
                throw ProblemException.Conflict(
                    $"Cluster '{id}' preempts: its node of highest priority would take the VIPs back at once. Put that node in maintenance instead, or change the priorities.");
            }

            if (cluster.FailoverTargetNodeId is { } pending)
            {
                throw ProblemException.Conflict($"A failover of cluster '{id}' to node '{pending}' is under way; wait until it is done.");
            }

            var now = time.UtcDateTime();
            var online = (await db.Nodes.AsNoTracking().Where(n => n.ClusterId == id).ToListAsync(ct))
                .Where(n => n.IsOnline(now, options.Value.NodeOfflineAfter)).ToList();
            var masters = online.Where(n => n.VrrpState == VrrpState.Master).ToList();
            if (masters is not [var master])
            {
                throw ProblemException.Conflict(masters.Count == 0
                    ? $"Cluster '{id}' has no online MASTER to move the VIPs from."
                    : $"Cluster '{id}' has {masters.Count} MASTERs (a split brain); a failover would not say which one to leave.");
            }

            var chosen = target is null ? Available(online, master.Id).MaxBy(n => n.Priority) : Eligible(target, master, now);
            cluster.FailoverFromNodeId = master.Id;
            cluster.FailoverTargetNodeId = chosen?.Id ?? throw ProblemException.Conflict(
                $"Cluster '{id}' has no other node to take the VIPs: none is online, BACKUP and out of maintenance.");
            cluster.FailoverRequestedAt = now;
            cluster.Touch(now);
            await db.SaveAsync(Affected.Cluster(id), ct);
            return await ResponseAsync(cluster, ct);
        });

    /// <summary>The nodes that could take the VIPs over from <paramref name="masterId"/>: online, BACKUP and not in maintenance.</summary>
    private static IEnumerable<Node> Available(IEnumerable<Node> online, string masterId) =>
        online.Where(n => n.Id != masterId && !n.Maintenance && n.VrrpState == VrrpState.Backup);

    private Node Eligible(Node target, Node master, DateTime now)
    {
        var problem = target switch
        {
            _ when target.Id == master.Id => "is the MASTER already",
            _ when !target.IsOnline(now, options.Value.NodeOfflineAfter) => "is offline",
            { Maintenance: true } => "is in maintenance",
            { VrrpState: not VrrpState.Backup } => $"reports {target.VrrpState}, not BACKUP",
            _ => null,
        };
        return problem is null ? target : throw ProblemException.Conflict($"Node '{target.Id}' cannot take the VIPs: it {problem}.");
    }

    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.Cluster, id, async () =>
        {
            caller.RequireAdmin();
            var cluster = await db.Clusters.ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            if (await db.LoadBalancers.AnyAsync(lb => lb.ClusterId == id, ct))
            {
                throw ProblemException.Conflict($"Cluster '{id}' still has load balancers; delete them first.");
            }

            if (await db.Nodes.AnyAsync(n => n.ClusterId == id, ct))
            {
                throw ProblemException.Conflict($"Cluster '{id}' still has nodes; remove them first.");
            }

            db.Clusters.Remove(cluster);
            await db.SaveAsync(Affected.None, ct);
        });

    private async Task<Versioned<ClusterResponse>> ResponseAsync(Cluster cluster, CancellationToken ct)
    {
        var masters = await MastersAsync([cluster.Id], ct);
        return Versioned.Of(cluster, cluster.ToResponse([.. masters[cluster.Id]]));
    }

    /// <summary>The online nodes of each cluster that report MASTER, by node id.</summary>
    private async Task<ILookup<string, string>> MastersAsync(IReadOnlyList<string> clusterIds, CancellationToken ct)
    {
        var onlineSince = time.UtcDateTime() - options.Value.NodeOfflineAfter;
        var masters = await db.Nodes.AsNoTracking()
            .Where(n => clusterIds.Contains(n.ClusterId) && n.VrrpState == VrrpState.Master && n.LastSeenAt >= onlineSince)
            .OrderBy(n => n.Id)
            .Select(n => new { n.ClusterId, n.Id })
            .ToListAsync(ct);
        return masters.ToLookup(n => n.ClusterId, n => n.Id);
    }

    private async Task<ClusterRequest> ValidateAsync(ClusterRequest request, ValidationErrors errors, string? id, CancellationToken ct)
    {
        var spec = request.Normalize(errors);
        errors.ThrowIfAny();
        var routerId = spec.Vrrp!.VirtualRouterId;
        if (await db.Clusters.AnyAsync(c => c.VirtualRouterId == routerId && c.Id != id, ct))
        {
            throw ProblemException.Conflict($"vrrp.virtualRouterId {routerId} is used by another cluster; each cluster needs its own.");
        }

        return spec;
    }

    /// <summary>
    /// Narrowing <c>backendAllowedRanges</c> under backends that need it would make every node refuse the cluster's
    /// next snapshot: such a change is a conflict until those backends move or go.
    /// </summary>
    private async Task CheckBackendsStillAllowedAsync(Cluster cluster, ClusterRequest spec, CancellationToken ct)
    {
        var allowed = spec.BackendAllowedRanges!.Select(System.Net.IPNetwork.Parse).ToList();
        var nodes = (await db.Nodes.AsNoTracking().Where(n => n.ClusterId == cluster.Id).Select(n => n.Address).ToListAsync(ct)).Select(System.Net.IPAddress.Parse).ToList();
        var addresses = await db.Backends.AsNoTracking().Where(b => b.ClusterId == cluster.Id).Select(b => new { b.Id, b.Address }).ToListAsync(ct);
        var refused = addresses.Where(b => AddressPolicy.BackendProblem(System.Net.IPAddress.Parse(b.Address), allowed, nodes) is not null).Select(b => b.Id).Take(10).ToList();
        if (refused.Count > 0)
        {
            throw ProblemException.Conflict(
                $"backendAllowedRanges would no longer hold backend(s) {string.Join(", ", refused)} of cluster '{cluster.Id}'; change or delete them first.");
        }
    }
}
