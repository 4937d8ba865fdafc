using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.BackendGroups;

public static class BackendGroupsApi
{
    private const string Kind = "backend group";

    public static void MapBackendGroupsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/backend-groups").WithTags("Backend groups");
        group.MapPost("/", CreateAsync).Accepts<BackendGroupRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<BackendGroupRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<BackendGroupResponse>> CreateAsync(Body<BackendGroupRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireWriter();
        var spec = body.Value.Normalize(body.Errors);
        var lb = await db.LoadBalancers.AsNoTracking().WritableParentAsync(caller, spec.LoadBalancerId, body.Errors, "loadBalancerId", "load balancer", ct);
        body.Errors.ThrowIfAny();

        var now = time.UtcDateTime();
        var group = new BackendGroup
        {
            Id = Ids.New("bg"),
            ProjectId = lb!.ProjectId,
            ClusterId = lb.ClusterId,
            LoadBalancerId = lb.Id,
            Name = spec.Name!,
            CreatedAt = now,
            UpdatedAt = now,
        };
        group.Apply(spec);
        db.BackendGroups.Add(group);
        await db.SaveAsync(Affected.LoadBalancer(group.LoadBalancerId, group.ClusterId), ct);
        return http.WithETag(group, TypedResults.Created($"/api/v1/backend-groups/{group.Id}", group.ToResponse()));
    }

    private static async Task<Ok<Page<BackendGroupResponse>>> ListAsync(Caller caller, FulcrumDbContext db, string? loadBalancerId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.BackendGroups.AsNoTracking()).Where(g => loadBalancerId == null || g.LoadBalancerId == loadBalancerId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, g => g.ToResponse(), ct));
    }

    private static async Task<Ok<BackendGroupResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var group = await caller.Visible(db.BackendGroups.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return http.WithETag(group, TypedResults.Ok(group.ToResponse()));
    }

    /// <summary>A backend group has only display text to change: an update never moves a revision.</summary>
    private static async Task<Ok<BackendGroupResponse>> UpdateAsync(string id, Body<BackendGroupRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var group = await caller.Visible(db.BackendGroups).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, group);
        LoadBalancersApi.Fixed(body.Errors, "loadBalancerId", body.Value.LoadBalancerId, group.LoadBalancerId);
        var spec = (body.Value with { LoadBalancerId = group.LoadBalancerId }).Normalize(body.Errors);
        body.Errors.ThrowIfAny();

        if (!Revisions.Same(group.ToRequest(), spec))
        {
            group.Apply(spec);
            group.Touch(time.UtcDateTime());
            await db.SaveAsync(Affected.None, ct);
        }

        return http.WithETag(group, TypedResults.Ok(group.ToResponse()));
    }

    /// <summary>Its backends go with a group; a group that a listener or rule still uses is kept (409).</summary>
    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var group = await caller.Visible(db.BackendGroups).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, group);
        var listeners = await db.Listeners.Where(l => l.DefaultBackendGroupId == id).Select(l => l.Id).ToListAsync(ct);
        var rules = await db.Rules.Where(r => r.BackendGroupId == id).Select(r => r.Id).ToListAsync(ct);
        if (listeners.Count > 0 || rules.Count > 0)
        {
            throw ProblemException.Conflict($"Backend group '{id}' is used by {string.Join(", ", listeners.Concat(rules))}; change or delete them first.");
        }

        db.Backends.RemoveRange(await db.Backends.Where(b => b.BackendGroupId == id).ToListAsync(ct));
        db.BackendGroups.Remove(group);
        await db.SaveAsync(Affected.LoadBalancer(group.LoadBalancerId, group.ClusterId), ct);
        return TypedResults.NoContent();
    }
}
