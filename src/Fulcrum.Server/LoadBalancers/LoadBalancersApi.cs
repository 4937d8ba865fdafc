using System.Net;
using System.Net.Sockets;
using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.LoadBalancers;

public static class LoadBalancersApi
{
    private const string Kind = "load balancer";

    public static void MapLoadBalancersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/load-balancers").WithTags("Load balancers");
        group.MapPost("/", CreateAsync).Accepts<LoadBalancerRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<LoadBalancerRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<LoadBalancerResponse>> CreateAsync(
        Body<LoadBalancerRequest> body, Caller caller, FulcrumDbContext db, LoadBalancerStatuses statuses, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireWriter();
        var errors = body.Errors;
        var spec = (body.Value with { ProjectId = body.Value.ProjectId ?? caller.ProjectId }).Normalize(errors);
        await ProjectsApi.WritableProjectAsync(db, caller, spec.ProjectId, errors, ct);
        var cluster = await db.Clusters.AsNoTracking().ReferenceAsync(spec.ClusterId, errors, "clusterId", "cluster", ct);
        errors.ThrowIfAny();

        var vip = spec.Vip ?? await AllocateVipAsync(db, cluster!, ct);
        if (spec.VipPrefixLength > DefaultPrefix(vip))
        {
            throw ValidationFailedException.For("vipPrefixLength", $"must be between 1 and {DefaultPrefix(vip)} for VIP {vip}.");
        }

        spec = spec with { Vip = vip, VipPrefixLength = spec.VipPrefixLength ?? DefaultPrefix(vip) };
        await CheckVipAsync(db, cluster!, spec, null, ct);

        var now = time.UtcDateTime();
        var lb = new LoadBalancer
        {
            Id = Ids.New("lb"),
            ProjectId = spec.ProjectId!,
            ClusterId = cluster!.Id,
            Name = spec.Name!,
            Vip = vip,
            CreatedAt = now,
            UpdatedAt = now,
        };
        lb.Apply(spec);
        db.LoadBalancers.Add(lb);
        await db.SaveAsync(Affected.LoadBalancer(lb.Id, lb.ClusterId), ct);
        return http.WithETag(lb, TypedResults.Created($"/api/v1/load-balancers/{lb.Id}", lb.ToResponse(await statuses.ForAsync(lb, ct))));
    }

    private static async Task<Ok<Page<LoadBalancerResponse>>> ListAsync(
        Caller caller, FulcrumDbContext db, LoadBalancerStatuses statuses, string? projectId, string? clusterId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.LoadBalancers.AsNoTracking())
            .Where(lb => (projectId == null || lb.ProjectId == projectId) && (clusterId == null || lb.ClusterId == clusterId));
        var page = await query.PageAsync(offset, limit, (IReadOnlyList<LoadBalancer> items) => items, ct);
        var status = await statuses.ForAsync(page.Items.ToList(), ct);
        return TypedResults.Ok(new Page<LoadBalancerResponse>(page.Items.Select(lb => lb.ToResponse(status[lb.Id])).ToList(), page.Total, page.Offset, page.Limit));
    }

    private static async Task<Ok<LoadBalancerResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, LoadBalancerStatuses statuses, HttpContext http, CancellationToken ct)
    {
        var lb = await caller.Visible(db.LoadBalancers.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return http.WithETag(lb, TypedResults.Ok(lb.ToResponse(await statuses.ForAsync(lb, ct))));
    }

    private static async Task<Ok<LoadBalancerResponse>> UpdateAsync(
        string id, Body<LoadBalancerRequest> body, Caller caller, FulcrumDbContext db, LoadBalancerStatuses statuses, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var lb = await caller.Visible(db.LoadBalancers).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, lb);

        var errors = body.Errors;
        var request = body.Value;
        Fixed(errors, "projectId", request.ProjectId, lb.ProjectId);
        Fixed(errors, "clusterId", request.ClusterId, lb.ClusterId);
        var spec = (request with { ProjectId = lb.ProjectId, ClusterId = lb.ClusterId, Vip = request.Vip ?? lb.Vip }).Normalize(errors);
        errors.ThrowIfAny();
        spec = spec with { VipPrefixLength = spec.VipPrefixLength ?? (spec.Vip == lb.Vip ? lb.VipPrefixLength : DefaultPrefix(spec.Vip!)) };

        var before = lb.ToRequest();
        if (!Revisions.Same(before, spec))
        {
            if (spec.Vip != lb.Vip)
            {
                var cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == lb.ClusterId, ct);
                await CheckVipAsync(db, cluster, spec, lb.Id, ct);
            }

            var affectsNodes = !Revisions.Same(before with { Name = null, Description = null }, spec with { Name = null, Description = null });
            lb.Apply(spec);
            lb.Touch(time.UtcDateTime());
            await db.SaveAsync(affectsNodes ? Affected.LoadBalancer(lb.Id, lb.ClusterId) : Affected.None, ct);
        }

        return http.WithETag(lb, TypedResults.Ok(lb.ToResponse(await statuses.ForAsync(lb, ct))));
    }

    /// <summary>Without <c>cascade=true</c> a load balancer that still has listeners or backend groups is kept (409).</summary>
    private static async Task<NoContent> DeleteAsync(string id, bool? cascade, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var lb = await caller.Visible(db.LoadBalancers).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, lb);

        var listeners = await db.Listeners.Where(l => l.LoadBalancerId == id).ToListAsync(ct);
        var groups = await db.BackendGroups.Where(g => g.LoadBalancerId == id).ToListAsync(ct);
        if (cascade is not true && (listeners.Count > 0 || groups.Count > 0))
        {
            throw ProblemException.Conflict(
                $"Load balancer '{id}' still has {listeners.Count} listener(s) and {groups.Count} backend group(s); delete them first or pass cascade=true.");
        }

        db.Rules.RemoveRange(await db.Rules.Where(r => r.LoadBalancerId == id).ToListAsync(ct));
        db.Listeners.RemoveRange(listeners);
        db.Backends.RemoveRange(await db.Backends.Where(b => b.LoadBalancerId == id).ToListAsync(ct));
        db.BackendGroups.RemoveRange(groups);
        db.LoadBalancers.Remove(lb);
        await db.SaveAsync(Affected.Cluster(lb.ClusterId), ct);
        return TypedResults.NoContent();
    }

    internal static void Fixed(ValidationErrors errors, string path, string? given, string current)
    {
        if (given is not null && given != current)
        {
            errors.Add(path, "cannot be changed once the resource exists.");
        }
    }

    private static int DefaultPrefix(string vip) => IPAddress.Parse(vip).AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    private static async Task<string> AllocateVipAsync(FulcrumDbContext db, Clusters.Cluster cluster, CancellationToken ct)
    {
        if (cluster.VipPools.Count == 0)
        {
            throw ValidationFailedException.For("vip", $"is required: cluster '{cluster.Id}' has no VIP pools to allocate from.");
        }

        var used = (await db.LoadBalancers.Where(lb => lb.ClusterId == cluster.Id).Select(lb => lb.Vip).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var text in cluster.VipPools)
        {
            if (VipPool.TryParse(text, out var pool)
                && pool.Addresses().Take(used.Count + 1).FirstOrDefault(a => !used.Contains(a.ToString())) is { } free)
            {
                return free.ToString();
            }
        }

        throw ProblemException.Conflict($"Every VIP pool of cluster '{cluster.Id}' is used up; add a pool or give a vip.");
    }

    private static async Task CheckVipAsync(FulcrumDbContext db, Clusters.Cluster cluster, LoadBalancerRequest spec, string? id, CancellationToken ct)
    {
        var vip = IPAddress.Parse(spec.Vip!);
        var pools = cluster.VipPools.Select(text => VipPool.TryParse(text, out var pool) ? pool : (VipPool?)null).OfType<VipPool>().ToList();
        if (pools.Count > 0 && !pools.Any(pool => pool.Contains(vip)))
        {
            throw ValidationFailedException.For("vip", $"is outside every VIP pool of cluster '{cluster.Id}' ({string.Join(", ", cluster.VipPools)}).");
        }

        if (await db.LoadBalancers.AnyAsync(lb => lb.ClusterId == cluster.Id && lb.Vip == spec.Vip && lb.Id != id, ct))
        {
            throw ProblemException.Conflict($"VIP {spec.Vip} is used by another load balancer of cluster '{cluster.Id}'.");
        }
    }
}
