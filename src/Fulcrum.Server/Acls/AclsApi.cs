using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Acls;

public static class AclsApi
{
    private const string Kind = "ACL";

    public static void MapAclsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/acls").WithTags("ACLs");
        group.MapPost("/", CreateAsync).Accepts<AclRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<AclRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<AclResponse>> CreateAsync(Body<AclRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireWriter();
        var spec = (body.Value with { ProjectId = body.Value.ProjectId ?? caller.ProjectId }).Normalize(body.Errors);
        await ProjectsApi.WritableProjectAsync(db, caller, spec.ProjectId, body.Errors, ct);
        body.Errors.ThrowIfAny();
        await Quotas.RequireRoomAsync(db, spec.ProjectId!, Quota.AclEntries, spec.Entries!.Count, ct);

        var now = time.UtcDateTime();
        var acl = new Acl { Id = Ids.New("acl"), ProjectId = spec.ProjectId!, Name = spec.Name!, CreatedAt = now, UpdatedAt = now };
        acl.Apply(spec);
        db.Acls.Add(acl);
        await db.SaveAsync(Affected.None, ct);
        return http.WithETag(acl, TypedResults.Created($"/api/v1/acls/{acl.Id}", acl.ToResponse()));
    }

    private static async Task<Ok<Page<AclResponse>>> ListAsync(Caller caller, FulcrumDbContext db, string? projectId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Acls.AsNoTracking()).Where(a => projectId == null || a.ProjectId == projectId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, a => a.ToResponse(), ct));
    }

    private static async Task<Ok<AclResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var acl = await caller.Visible(db.Acls.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return http.WithETag(acl, TypedResults.Ok(acl.ToResponse()));
    }

    /// <summary>New entries reach every listener that uses the ACL: their load balancers move to the next revision.</summary>
    private static async Task<Ok<AclResponse>> UpdateAsync(string id, Body<AclRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var acl = await caller.Visible(db.Acls).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, acl);
        LoadBalancersApi.Fixed(body.Errors, "projectId", body.Value.ProjectId, acl.ProjectId);
        var spec = (body.Value with { ProjectId = acl.ProjectId }).Normalize(body.Errors);
        body.Errors.ThrowIfAny();
        if (spec.Entries!.Count > acl.Entries.Count)
        {
            await Quotas.RequireRoomAsync(db, acl.ProjectId, Quota.AclEntries, spec.Entries.Count - acl.Entries.Count, ct);
        }

        var before = acl.ToRequest();
        if (!Revisions.Same(before, spec))
        {
            var affected = Affected.None;
            if (!Revisions.Same(before.Entries, spec.Entries))
            {
                foreach (var listener in await db.Listeners.AsNoTracking().Where(l => l.AclId == id).ToListAsync(ct))
                {
                    affected.AddLoadBalancer(listener.LoadBalancerId, listener.ClusterId);
                }
            }

            acl.Apply(spec);
            acl.Touch(time.UtcDateTime());
            await db.SaveAsync(affected, ct);
        }

        return http.WithETag(acl, TypedResults.Ok(acl.ToResponse()));
    }

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var acl = await caller.Visible(db.Acls).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, acl);
        var users = await db.Listeners.Where(l => l.AclId == id).Select(l => l.Id).ToListAsync(ct);
        if (users.Count > 0)
        {
            throw ProblemException.Conflict($"ACL '{id}' is used by listener(s) {string.Join(", ", users)}; change or delete them first.");
        }

        db.Acls.Remove(acl);
        await db.SaveAsync(Affected.None, ct);
        return TypedResults.NoContent();
    }
}
