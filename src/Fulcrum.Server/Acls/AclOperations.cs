using Fulcrum.Core.Api;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Acls;

/// <summary>ACLs' reads and writes, for the REST endpoints and the console alike.</summary>
public sealed class AclOperations(FulcrumDbContext db, TimeProvider time, AuditLog audit)
{
    private const string Kind = "ACL";

    public async Task<Page<AclResponse>> ListAsync(Caller caller, string? projectId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Acls.AsNoTracking()).Where(a => projectId == null || a.ProjectId == projectId);
        return await query.PageAsync(offset, limit, a => a.ToResponse(), ct);
    }

    public async Task<Versioned<AclResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var acl = await caller.Visible(db.Acls.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return Versioned.Of(acl, acl.ToResponse());
    }

    public Task<Versioned<AclResponse>> CreateAsync(Caller caller, AclRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.Acl, null, async () =>
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
            return Versioned.Of(acl, acl.ToResponse());
        });

    /// <summary>New entries reach every listener that uses the ACL: their load balancers move to the next revision.</summary>
    public Task<Versioned<AclResponse>> UpdateAsync(Caller caller, string id, AclRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.Acl, id, async () =>
        {
            var acl = await caller.Visible(db.Acls).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            Writes.Fixed(write.Errors, "projectId", request.ProjectId, acl.ProjectId);
            var spec = (request with { ProjectId = acl.ProjectId }).Normalize(write.Errors);
            write.Errors.ThrowIfAny();
            if (spec.Entries!.Count > acl.Entries.Count)
            {
                await Quotas.RequireRoomAsync(db, acl.ProjectId, Quota.AclEntries, spec.Entries.Count - acl.Entries.Count, ct);
            }

            await db.UpdateAsync(acl, spec, () => UsersAsync(id, ct), time.UtcDateTime(), ct);
            return Versioned.Of(acl, acl.ToResponse());
        });

    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.Acl, id, async () =>
        {
            var acl = await caller.Visible(db.Acls).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            var users = await db.Listeners.Where(l => l.AclId == id).Select(l => l.Id).ToListAsync(ct);
            if (users.Count > 0)
            {
                throw ProblemException.Conflict($"ACL '{id}' is used by listener(s) {string.Join(", ", users)}; change or delete them first.");
            }

            db.Acls.Remove(acl);
            await db.SaveAsync(Affected.None, ct);
        });

    private async Task<Affected> UsersAsync(string id, CancellationToken ct)
    {
        var affected = Affected.None;
        foreach (var listener in await db.Listeners.AsNoTracking().Where(l => l.AclId == id).ToListAsync(ct))
        {
            affected.AddLoadBalancer(listener.LoadBalancerId, listener.ClusterId);
        }

        return affected;
    }
}
