using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Backends;

public static class BackendsApi
{
    private const string Kind = "backend";

    public static void MapBackendsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/backends").WithTags("Backends");
        group.MapPost("/", CreateAsync).Accepts<BackendRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<BackendRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<BackendResponse>> CreateAsync(Body<BackendRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireWriter();
        var spec = body.Value.Normalize(body.Errors);
        var group = await db.BackendGroups.AsNoTracking().WritableParentAsync(caller, spec.BackendGroupId, body.Errors, "backendGroupId", "backend group", ct);
        body.Errors.ThrowIfAny();
        await CheckAddressAsync(db, group!.ClusterId, spec.Address!, ct);
        await Quotas.RequireRoomAsync(db, group.ProjectId, Quota.Backends, 1, ct);

        var now = time.UtcDateTime();
        var backend = new Backend
        {
            Id = Ids.New("be"),
            ProjectId = group!.ProjectId,
            ClusterId = group.ClusterId,
            LoadBalancerId = group.LoadBalancerId,
            BackendGroupId = group.Id,
            Address = spec.Address!,
            CreatedAt = now,
            UpdatedAt = now,
        };
        backend.Apply(spec);
        db.Backends.Add(backend);
        await db.SaveAsync(Affected.LoadBalancer(backend.LoadBalancerId, backend.ClusterId), ct);
        return http.WithETag(backend, TypedResults.Created($"/api/v1/backends/{backend.Id}", backend.ToResponse()));
    }

    private static async Task<Ok<Page<BackendResponse>>> ListAsync(Caller caller, FulcrumDbContext db, string? backendGroupId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Backends.AsNoTracking()).Where(b => backendGroupId == null || b.BackendGroupId == backendGroupId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, b => b.ToResponse(), ct));
    }

    private static async Task<Ok<BackendResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var backend = await caller.Visible(db.Backends.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return http.WithETag(backend, TypedResults.Ok(backend.ToResponse()));
    }

    private static async Task<Ok<BackendResponse>> UpdateAsync(string id, Body<BackendRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var backend = await caller.Visible(db.Backends).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, backend);
        LoadBalancersApi.Fixed(body.Errors, "backendGroupId", body.Value.BackendGroupId, backend.BackendGroupId);
        var spec = (body.Value with { BackendGroupId = backend.BackendGroupId }).Normalize(body.Errors);
        body.Errors.ThrowIfAny();
        if (spec.Address != backend.Address)
        {
            await CheckAddressAsync(db, backend.ClusterId, spec.Address!, ct);
        }

        var before = backend.ToRequest();
        if (!Revisions.Same(before, spec))
        {
            var affectsNodes = !Revisions.Same(before with { Name = null }, spec with { Name = null });
            backend.Apply(spec);
            backend.Touch(time.UtcDateTime());
            await db.SaveAsync(affectsNodes ? Affected.LoadBalancer(backend.LoadBalancerId, backend.ClusterId) : Affected.None, ct);
        }

        return http.WithETag(backend, TypedResults.Ok(backend.ToResponse()));
    }

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var backend = await caller.Visible(db.Backends).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, backend);
        db.Backends.Remove(backend);
        await db.SaveAsync(Affected.LoadBalancer(backend.LoadBalancerId, backend.ClusterId), ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The address policy for backends (see the README): never unspecified, multicast, broadcast or IPv4-mapped;
    /// loopback, link-local (cloud metadata included) and the cluster's own nodes only inside a range the cluster's
    /// admin allows. A backend keeps its address when the policy is checked again: only a new address is checked.
    /// </summary>
    private static async Task CheckAddressAsync(FulcrumDbContext db, string clusterId, string address, CancellationToken ct)
    {
        var cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == clusterId, ct);
        var nodes = (await db.Nodes.AsNoTracking().Where(n => n.ClusterId == clusterId).Select(n => n.Address).ToListAsync(ct)).Select(IPAddress.Parse);
        if (AddressPolicy.BackendProblem(IPAddress.Parse(address), cluster.BackendAllowed(), nodes) is { } problem)
        {
            throw ValidationFailedException.For("address", problem);
        }
    }
}
