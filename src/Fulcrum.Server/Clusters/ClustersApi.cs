using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Snapshots;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Clusters;

/// <summary>Clusters are an admin's to shape; every caller may read them, to place load balancers.</summary>
public static class ClustersApi
{
    private const string Kind = "cluster";

    public static void MapClustersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/clusters").WithTags("Clusters");
        group.MapPost("/", CreateAsync).Accepts<ClusterRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<ClusterRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/snapshot", SnapshotAsync);
    }

    private static async Task<Created<ClusterResponse>> CreateAsync(Body<ClusterRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var spec = await ValidateAsync(body, db, null, ct);
        var now = time.UtcDateTime();
        var cluster = new Cluster { Id = Ids.New("cl"), Name = spec.Name!, CreatedAt = now, UpdatedAt = now, Revision = 1 };
        cluster.Apply(spec);
        db.Clusters.Add(cluster);
        await db.SaveAsync(Affected.None, ct);
        return http.WithETag(cluster, TypedResults.Created($"/api/v1/clusters/{cluster.Id}", cluster.ToResponse()));
    }

    private static async Task<Ok<Page<ClusterResponse>>> ListAsync(
        FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, int? offset, int? limit, CancellationToken ct)
    {
        var page = await db.Clusters.AsNoTracking().PageAsync(offset, limit, (Cluster c) => c, ct);
        var masters = await MastersAsync(db, [.. page.Items.Select(c => c.Id)], time, options, ct);
        return TypedResults.Ok(new Page<ClusterResponse>(
            [.. page.Items.Select(c => c.ToResponse([.. masters[c.Id]]))], page.Total, page.Offset, page.Limit));
    }

    private static async Task<Ok<ClusterResponse>> GetAsync(
        string id, FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, HttpContext http, CancellationToken ct)
    {
        var cluster = await db.Clusters.AsNoTracking().ByIdAsync(id, Kind, ct);
        var masters = await MastersAsync(db, [cluster.Id], time, options, ct);
        return http.WithETag(cluster, TypedResults.Ok(cluster.ToResponse([.. masters[cluster.Id]])));
    }

    /// <summary>The online nodes of each cluster that report MASTER, by node id.</summary>
    private static async Task<ILookup<string, string>> MastersAsync(
        FulcrumDbContext db, IReadOnlyList<string> clusterIds, TimeProvider time, IOptions<FulcrumServerOptions> options, CancellationToken ct)
    {
        var onlineSince = time.UtcDateTime() - options.Value.NodeOfflineAfter;
        var masters = await db.Nodes.AsNoTracking()
            .Where(n => clusterIds.Contains(n.ClusterId) && n.VrrpState == VrrpState.Master && n.LastSeenAt >= onlineSince)
            .OrderBy(n => n.Id)
            .Select(n => new { n.ClusterId, n.Id })
            .ToListAsync(ct);
        return masters.ToLookup(n => n.ClusterId, n => n.Id);
    }

    private static async Task<Ok<ClusterResponse>> UpdateAsync(
        string id, Body<ClusterRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var cluster = await db.Clusters.ByIdAsync(id, Kind, ct);
        ETags.CheckIfMatch(http, cluster);
        var spec = await ValidateAsync(body, db, id, ct);

        var before = cluster.ToRequest();
        if (!Revisions.Same(before, spec))
        {
            await CheckBackendsStillAllowedAsync(db, cluster, spec, ct);
            var affectsNodes = !Revisions.Same(before.Vrrp, spec.Vrrp) || !Revisions.Same(before.BackendAllowedRanges, spec.BackendAllowedRanges);
            cluster.Apply(spec);
            cluster.Touch(time.UtcDateTime());
            await db.SaveAsync(affectsNodes ? Affected.Cluster(id) : Affected.None, ct);
        }

        var masters = await MastersAsync(db, [cluster.Id], time, options, ct);
        return http.WithETag(cluster, TypedResults.Ok(cluster.ToResponse([.. masters[cluster.Id]])));
    }

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var cluster = await db.Clusters.ByIdAsync(id, Kind, ct);
        ETags.CheckIfMatch(http, cluster);
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
        return TypedResults.NoContent();
    }

    /// <summary>The cluster's desired state as its agents consume it, without private keys.</summary>
    private static async Task<Ok<ClusterSnapshot>> SnapshotAsync(string id, Caller caller, SnapshotBuilder snapshots, CancellationToken ct)
    {
        caller.RequireAdmin();
        return TypedResults.Ok(await snapshots.BuildAsync(id, includePrivateKeys: false, ct) ?? throw ProblemException.NotFound(Kind, id));
    }

    private static async Task<ClusterRequest> ValidateAsync(Body<ClusterRequest> body, FulcrumDbContext db, string? id, CancellationToken ct)
    {
        var spec = body.Value.Normalize(body.Errors);
        body.Errors.ThrowIfAny();
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
    private static async Task CheckBackendsStillAllowedAsync(FulcrumDbContext db, Cluster cluster, ClusterRequest spec, CancellationToken ct)
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
