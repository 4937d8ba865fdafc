using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Backends;

/// <summary>Backends' reads and writes, for the REST endpoints and the console alike.</summary>
public sealed class BackendOperations(FulcrumDbContext db, TimeProvider time, AuditLog audit)
{
    private const string Kind = "backend";

    public async Task<Page<BackendResponse>> ListAsync(Caller caller, string? backendGroupId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Backends.AsNoTracking()).Where(b => backendGroupId == null || b.BackendGroupId == backendGroupId);
        return await query.PageAsync(offset, limit, b => b.ToResponse(), ct);
    }

    public async Task<Versioned<BackendResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var backend = await caller.Visible(db.Backends.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return Versioned.Of(backend, backend.ToResponse());
    }

    public Task<Versioned<BackendResponse>> CreateAsync(Caller caller, BackendRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.Backend, null, async () =>
        {
            caller.RequireWriter();
            var spec = request.Normalize(write.Errors);
            var group = await db.BackendGroups.AsNoTracking().WritableParentAsync(caller, spec.BackendGroupId, write.Errors, "backendGroupId", "backend group", ct);
            write.Errors.ThrowIfAny();
            await CheckAddressAsync(group!.ClusterId, spec.Address!, ct);
            await Quotas.RequireRoomAsync(db, group.ProjectId, Quota.Backends, 1, ct);

            var now = time.UtcDateTime();
            var backend = new Backend
            {
                Id = Ids.New("be"),
                ProjectId = group.ProjectId,
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
            return Versioned.Of(backend, backend.ToResponse());
        });

    public Task<Versioned<BackendResponse>> UpdateAsync(Caller caller, string id, BackendRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.Backend, id, async () =>
        {
            var backend = await caller.Visible(db.Backends).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            Writes.Fixed(write.Errors, "backendGroupId", request.BackendGroupId, backend.BackendGroupId);
            var spec = (request with { BackendGroupId = backend.BackendGroupId }).Normalize(write.Errors);
            write.Errors.ThrowIfAny();
            if (spec.Address != backend.Address)
            {
                await CheckAddressAsync(backend.ClusterId, spec.Address!, ct);
            }

            await db.UpdateAsync(backend, spec, Writes.Moves(Affected.LoadBalancer(backend.LoadBalancerId, backend.ClusterId)), time.UtcDateTime(), ct);
            return Versioned.Of(backend, backend.ToResponse());
        });

    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.Backend, id, async () =>
        {
            var backend = await caller.Visible(db.Backends).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            db.Backends.Remove(backend);
            await db.SaveAsync(Affected.LoadBalancer(backend.LoadBalancerId, backend.ClusterId), ct);
        });

    /// <summary>
    /// The address policy for backends (see the README): never unspecified, multicast, broadcast or IPv4-mapped;
    /// loopback, link-local (cloud metadata included) and the cluster's own nodes only inside a range the cluster's
    /// admin allows. A backend keeps its address when the policy is checked again: only a new address is checked.
    /// </summary>
    private async Task CheckAddressAsync(string clusterId, string address, CancellationToken ct)
    {
        var cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == clusterId, ct);
        var nodes = (await db.Nodes.AsNoTracking().Where(n => n.ClusterId == clusterId).Select(n => n.Address).ToListAsync(ct)).Select(IPAddress.Parse);
        if (AddressPolicy.BackendProblem(IPAddress.Parse(address), cluster.BackendAllowed(), nodes) is { } problem)
        {
            throw ValidationFailedException.For("address", problem);
        }
    }
}
