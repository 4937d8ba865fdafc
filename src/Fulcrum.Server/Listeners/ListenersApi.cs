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

namespace Fulcrum.Server.Listeners;

public static class ListenersApi
{
    private const string Kind = "listener";

    public static void MapListenersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/listeners").WithTags("Listeners");
        group.MapPost("/", CreateAsync).Accepts<ListenerRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<ListenerRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<ListenerResponse>> CreateAsync(Body<ListenerRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireWriter();
        var spec = body.Value.Normalize(body.Errors);
        var lb = await db.LoadBalancers.AsNoTracking().WritableParentAsync(caller, spec.LoadBalancerId, body.Errors, "loadBalancerId", "load balancer", ct);
        var listener = new Listener
        {
            Id = Ids.New("lsn"),
            ProjectId = lb?.ProjectId ?? "",
            ClusterId = lb?.ClusterId ?? "",
            LoadBalancerId = lb?.Id ?? "",
            Name = "",
            Timeouts = spec.Timeouts ?? new TimeoutSpec(null, null, null),
        };
        await ValidateAsync(db, listener, spec, body.Errors, ct);
        await Quotas.RequireRoomAsync(db, listener.ProjectId, Quota.Listeners, 1, ct);

        var now = time.UtcDateTime();
        listener.CreatedAt = now;
        listener.UpdatedAt = now;
        listener.Apply(spec);
        db.Listeners.Add(listener);
        await db.SaveAsync(Affected.LoadBalancer(listener.LoadBalancerId, listener.ClusterId), ct);
        return http.WithETag(listener, TypedResults.Created($"/api/v1/listeners/{listener.Id}", listener.ToResponse()));
    }

    private static async Task<Ok<Page<ListenerResponse>>> ListAsync(Caller caller, FulcrumDbContext db, string? loadBalancerId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Listeners.AsNoTracking()).Where(l => loadBalancerId == null || l.LoadBalancerId == loadBalancerId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, l => l.ToResponse(), ct));
    }

    private static async Task<Ok<ListenerResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var listener = await caller.Visible(db.Listeners.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return http.WithETag(listener, TypedResults.Ok(listener.ToResponse()));
    }

    private static async Task<Ok<ListenerResponse>> UpdateAsync(string id, Body<ListenerRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var listener = await caller.Visible(db.Listeners).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, listener);
        LoadBalancersApi.Fixed(body.Errors, "loadBalancerId", body.Value.LoadBalancerId, listener.LoadBalancerId);
        var spec = (body.Value with { LoadBalancerId = listener.LoadBalancerId }).Normalize(body.Errors);
        await ValidateAsync(db, listener, spec, body.Errors, ct);

        var before = listener.ToRequest();
        if (!Revisions.Same(before, spec))
        {
            if (spec.Protocol is not (ListenerProtocol.Http or ListenerProtocol.Https) && await db.Rules.AnyAsync(r => r.ListenerId == id, ct))
            {
                throw ProblemException.Conflict($"Listener '{id}' has rules, which only http and https listeners can hold; delete them first.");
            }

            var affectsNodes = !Revisions.Same(before with { Name = null, Description = null }, spec with { Name = null, Description = null });
            listener.Apply(spec);
            listener.Touch(time.UtcDateTime());
            await db.SaveAsync(affectsNodes ? Affected.LoadBalancer(listener.LoadBalancerId, listener.ClusterId) : Affected.None, ct);
        }

        return http.WithETag(listener, TypedResults.Ok(listener.ToResponse()));
    }

    /// <summary>A listener's rules are part of it and go with it.</summary>
    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var listener = await caller.Visible(db.Listeners).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, listener);
        db.Rules.RemoveRange(await db.Rules.Where(r => r.ListenerId == id).ToListAsync(ct));
        db.Listeners.Remove(listener);
        await db.SaveAsync(Affected.LoadBalancer(listener.LoadBalancerId, listener.ClusterId), ct);
        return TypedResults.NoContent();
    }

    /// <summary>The checks that need the database: references stay inside the load balancer and its project, ports stay unique.</summary>
    private static async Task ValidateAsync(FulcrumDbContext db, Listener listener, ListenerRequest spec, ValidationErrors errors, CancellationToken ct)
    {
        if (listener.LoadBalancerId.Length > 0)
        {
            await db.CheckBackendGroupAsync(spec.DefaultBackendGroupId, listener.LoadBalancerId, errors, "defaultBackendGroupId", ct);
            if (spec.Tls is { } tls)
            {
                await CheckInProjectAsync(db.Certificates, tls.CertificateId, listener.ProjectId, errors, "tls.certificateId", "certificate", ct);
                foreach (var sni in tls.SniCertificateIds!)
                {
                    await CheckInProjectAsync(db.Certificates, sni, listener.ProjectId, errors, "tls.sniCertificateIds", "certificate", ct);
                }
            }

            await CheckInProjectAsync(db.Acls, spec.Acl?.AclId, listener.ProjectId, errors, "acl.aclId", "ACL", ct);
        }

        errors.ThrowIfAny();

        var transport = Listener.TransportOf(spec.Protocol!.Value);
        if (await db.Listeners.AnyAsync(l => l.LoadBalancerId == listener.LoadBalancerId && l.Transport == transport && l.Port == spec.Port && l.Id != listener.Id, ct))
        {
            throw ProblemException.Conflict($"Port {spec.Port}/{transport} of load balancer '{listener.LoadBalancerId}' is taken by another listener.");
        }
    }

    private static async Task CheckInProjectAsync<T>(IQueryable<T> query, string? id, string projectId, ValidationErrors errors, string path, string kind, CancellationToken ct)
        where T : Resource, IProjectScoped
    {
        if (id is not null && !await query.AnyAsync(item => item.Id == id && item.ProjectId == projectId, ct))
        {
            errors.Add(path, $"there is no {kind} with id '{(id.Length > 40 ? id[..40] + "…" : id)}' in the load balancer's project.");
        }
    }
}
