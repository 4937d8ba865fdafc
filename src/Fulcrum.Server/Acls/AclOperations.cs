using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Fulcrum.Server.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Acls;

public sealed class AclOperations(FulcrumDbContext db, TimeProvider time)
{
    private const string Kind = "ACL";

    public async Task<Versioned<AclResponse>> CreateAsync(Caller caller, AclRequest request, Write write, CancellationToken ct)
    {
        caller.RequireWriter();
        var spec = (request with { ProjectId = request.ProjectId ?? caller.ProjectId }).Normalize(write.Errors);
        await ProjectOperations.WritableProjectAsync(db, caller, spec.ProjectId, write.Errors, ct);
        write.Errors.ThrowIfAny();
        await Quotas.RequireRoomAsync(db, spec.ProjectId!, Quota.AclEntries, spec.Entries!.Count, ct);

        var now = time.UtcDateTime();
        var acl = new Acl { Id = Ids.New("acl"), ProjectId = spec.ProjectId!, Name = spec.Name!, CreatedAt = now, UpdatedAt = now };
        acl.Apply(spec);
        db.Acls.Add(acl);
        await db.SaveAsync(Affected.None, ct);
        return acl.Versioned(acl.ToResponse());
    }

    public async Task<Page<AclResponse>> ListAsync(Caller caller, string? projectId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Acls.AsNoTracking()).Where(a => projectId == null || a.ProjectId == projectId);
        return await query.PageAsync(offset, limit, a => a.ToResponse(), ct);
    }

    public async Task<Versioned<AclResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var acl = await caller.Visible(db.Acls.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return acl.Versioned(acl.ToResponse());
    }

    /// <summary>New entries reach every listener that uses the ACL: their load balancers move to the next revision.</summary>
    public async Task<Versioned<AclResponse>> UpdateAsync(Caller caller, string id, AclRequest request, Write write, CancellationToken ct)
    {
        var acl = await db.Acls.WritableAsync(caller, id, Kind, write, ct);
        Operations.Fixed(write.Errors, "projectId", request.ProjectId, acl.ProjectId);
        var spec = (request with { ProjectId = acl.ProjectId }).Normalize(write.Errors);
        write.Errors.ThrowIfAny();
        if (spec.Entries!.Count > acl.Entries.Count)
        {
            await Quotas.RequireRoomAsync(db, acl.ProjectId, Quota.AclEntries, spec.Entries.Count - acl.Entries.Count, ct);
        }

        await db.ChangeAsync(acl, acl.ToRequest(), spec, a => a.Apply(spec), Projection.Of, UsersAsync, time.UtcDateTime(), ct);
        return acl.Versioned(acl.ToResponse());

        async Task<Affected> UsersAsync(CancellationToken token)
        {
            var affected = Affected.None;
            foreach (var listener in await db.Listeners.AsNoTracking().Where(l => l.AclId == id).ToListAsync(token))
            {
                affected.AddLoadBalancer(listener.LoadBalancerId, listener.ClusterId);
            }

            return affected;
        }
    }

    public async Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct)
    {
        var acl = await db.Acls.WritableAsync(caller, id, Kind, write, ct);
        var users = await db.Listeners.Where(l => l.AclId == id).Select(l => l.Id).ToListAsync(ct);
        if (users.Count > 0)
        {
            throw ProblemException.Conflict($"ACL '{id}' is used by listener(s) {string.Join(", ", users)}; change or delete them first.");
        }

        db.Acls.Remove(acl);
        await db.SaveAsync(Affected.None, ct);
    }
}
