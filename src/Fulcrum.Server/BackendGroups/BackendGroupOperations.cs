using Fulcrum.Core.Api;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.BackendGroups;

/// <summary>Backend groups' reads and writes, for the REST endpoints and the console alike.</summary>
public sealed class BackendGroupOperations(FulcrumDbContext db, TimeProvider time, AuditLog audit)
{
    private const string Kind = "backend group";

    public async Task<Page<BackendGroupResponse>> ListAsync(Caller caller, string? loadBalancerId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.BackendGroups.AsNoTracking()).Where(g => loadBalancerId == null || g.LoadBalancerId == loadBalancerId);
        return await query.PageAsync(offset, limit, g => g.ToResponse(), ct);
    }

    public async Task<Versioned<BackendGroupResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var group = await caller.Visible(db.BackendGroups.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return Versioned.Of(group, group.ToResponse());
    }

    public Task<Versioned<BackendGroupResponse>> CreateAsync(Caller caller, BackendGroupRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.BackendGroup, null, async () =>
        {
            caller.RequireWriter();
            var spec = request.Normalize(write.Errors);
            var lb = await db.LoadBalancers.AsNoTracking().WritableParentAsync(caller, spec.LoadBalancerId, write.Errors, "loadBalancerId", "load balancer", ct);
            write.Errors.ThrowIfAny();

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
            return Versioned.Of(group, group.ToResponse());
        });

    /// <summary>A backend group has only display text to change: the nodes never see an update.</summary>
    public Task<Versioned<BackendGroupResponse>> UpdateAsync(Caller caller, string id, BackendGroupRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.BackendGroup, id, async () =>
        {
            var group = await caller.Visible(db.BackendGroups).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            Writes.Fixed(write.Errors, "loadBalancerId", request.LoadBalancerId, group.LoadBalancerId);
            var spec = (request with { LoadBalancerId = group.LoadBalancerId }).Normalize(write.Errors);
            write.Errors.ThrowIfAny();
            await db.UpdateAsync(group, spec, Writes.Moves(Affected.LoadBalancer(group.LoadBalancerId, group.ClusterId)), time.UtcDateTime(), ct);
            return Versioned.Of(group, group.ToResponse());
        });

    /// <summary>Its backends go with a group; a group that a listener or rule still uses is kept (409).</summary>
    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.BackendGroup, id, async () =>
        {
            var group = await caller.Visible(db.BackendGroups).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            var listeners = await db.Listeners.Where(l => l.DefaultBackendGroupId == id).Select(l => l.Id).ToListAsync(ct);
            var rules = await db.Rules.Where(r => r.BackendGroupId == id).Select(r => r.Id).ToListAsync(ct);
            if (listeners.Count > 0 || rules.Count > 0)
            {
                throw ProblemException.Conflict($"Backend group '{id}' is used by {string.Join(", ", listeners.Concat(rules))}; change or delete them first.");
            }

            db.Backends.RemoveRange(await db.Backends.Where(b => b.BackendGroupId == id).ToListAsync(ct));
            db.BackendGroups.Remove(group);
            await db.SaveAsync(Affected.LoadBalancer(group.LoadBalancerId, group.ClusterId), ct);
        });
}
