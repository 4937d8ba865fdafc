using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Snapshots;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Clusters;

/// <summary>Clusters are an admin's to shape; every caller may read them, to place load balancers.</summary>
public sealed class ClusterOperations(FulcrumDbContext db, SnapshotBuilder snapshots, TimeProvider time, IOptions<FulcrumServerOptions> options)
{
    private const string Kind = "cluster";

    public async Task<Versioned<ClusterResponse>> CreateAsync(Caller caller, ClusterRequest request, Write write, CancellationToken ct)
    {
        caller.RequireAdmin();
        var spec = await ValidateAsync(request, write, null, ct);
        var now = time.UtcDateTime();
        var cluster = new Cluster { Id = Ids.New("cl"), Name = spec.Name!, CreatedAt = now, UpdatedAt = now, Revision = 1 };
        cluster.Apply(spec);
        db.Clusters.Add(cluster);
        await db.SaveAsync(Affected.None, ct);
        return cluster.Versioned(cluster.ToResponse());
    }

    public async Task<Page<ClusterResponse>> ListAsync(Caller caller, int? offset, int? limit, CancellationToken ct)
    {
        var page = await db.Clusters.AsNoTracking().PageAsync(offset, limit, (Cluster c) => c, ct);
        var masters = await MastersAsync([.. page.Items.Select(c => c.Id)], ct);
        return new Page<ClusterResponse>([.. page.Items.Select(c => c.ToResponse([.. masters[c.Id]]))], page.Total, page.Offset, page.Limit);
    }

    public async Task<Versioned<ClusterResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var cluster = await db.Clusters.AsNoTracking().ByIdAsync(id, Kind, ct);
        return await ResponseAsync(cluster, ct);
    }

    public async Task<Versioned<ClusterResponse>> UpdateAsync(Caller caller, string id, ClusterRequest request, Write write, CancellationToken ct)
    {
        var cluster = await db.Clusters.AdminWritableAsync(caller, id, Kind, write, ct);
        var spec = await ValidateAsync(request, write, id, ct);
        var before = cluster.ToRequest();
        if (!Revisions.Same(before, spec))
        {
            await CheckBackendsStillAllowedAsync(cluster, spec, ct);
        }

        await db.ChangeAsync(cluster, before, spec, c => c.Apply(spec), Projection.Of, Affected.Cluster(id), time.UtcDateTime(), ct);
        return await ResponseAsync(cluster, ct);
    }

    public async Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct)
    {
        var cluster = await db.Clusters.AdminWritableAsync(caller, id, Kind, write, ct);
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
    }

    /// <summary>The cluster's desired state as its agents consume it, without private keys.</summary>
    public async Task<ClusterSnapshot> SnapshotAsync(Caller caller, string id, CancellationToken ct)
    {
        caller.RequireAdmin();
        return await snapshots.BuildAsync(id, includePrivateKeys: false, ct) ?? throw ProblemException.NotFound(Kind, id);
    }

    private async Task<Versioned<ClusterResponse>> ResponseAsync(Cluster cluster, CancellationToken ct)
    {
        var masters = await MastersAsync([cluster.Id], ct);
        return cluster.Versioned(cluster.ToResponse([.. masters[cluster.Id]]));
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

    private async Task<ClusterRequest> ValidateAsync(ClusterRequest request, Write write, string? id, CancellationToken ct)
    {
        var spec = request.Normalize(write.Errors);
        write.Errors.ThrowIfAny();
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
