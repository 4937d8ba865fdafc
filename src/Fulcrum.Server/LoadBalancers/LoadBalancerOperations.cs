using System.Net;
using System.Net.Sockets;
using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.LoadBalancers;

/// <summary>Load balancers' reads and writes, for the REST endpoints and the console alike.</summary>
public sealed class LoadBalancerOperations(FulcrumDbContext db, LoadBalancerStatuses statuses, TimeProvider time, AuditLog audit)
{
    private const string Kind = "load balancer";

    public async Task<Page<LoadBalancerResponse>> ListAsync(Caller caller, string? projectId, string? clusterId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.LoadBalancers.AsNoTracking())
            .Where(lb => (projectId == null || lb.ProjectId == projectId) && (clusterId == null || lb.ClusterId == clusterId));
        var page = await query.PageAsync(offset, limit, (IReadOnlyList<LoadBalancer> items) => items, ct);
        var status = await statuses.ForAsync(page.Items.ToList(), ct);
        return new Page<LoadBalancerResponse>(page.Items.Select(lb => lb.ToResponse(status[lb.Id])).ToList(), page.Total, page.Offset, page.Limit);
    }

    public async Task<Versioned<LoadBalancerResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var lb = await caller.Visible(db.LoadBalancers.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return await ResponseAsync(lb, ct);
    }

    /// <summary>The load balancer, and how many of its cluster's nodes applied it, from one reading of their status.</summary>
    public async Task<(Versioned<LoadBalancerResponse> LoadBalancer, LoadBalancerProgress Progress)> GetWithProgressAsync(Caller caller, string id, CancellationToken ct)
    {
        var lb = await caller.Visible(db.LoadBalancers.AsNoTracking()).ByIdAsync(id, Kind, ct);
        var status = await statuses.ForAsync(lb, ct);
        return (Versioned.Of(lb, lb.ToResponse(status)), status.Progress);
    }

    public Task<Versioned<LoadBalancerResponse>> CreateAsync(Caller caller, LoadBalancerRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.LoadBalancer, null, async () =>
        {
            caller.RequireWriter();
            var errors = write.Errors;
            var spec = (request with { ProjectId = request.ProjectId ?? caller.ProjectId }).Normalize(errors);
            await ProjectOperations.WritableProjectAsync(db, caller, spec.ProjectId, errors, ct);
            var cluster = await db.Clusters.AsNoTracking().ReferenceAsync(spec.ClusterId, errors, "clusterId", "cluster", ct);
            errors.ThrowIfAny();
            await Quotas.RequireRoomAsync(db, spec.ProjectId!, Quota.LoadBalancers, 1, ct);

            if (spec.Vip is not null)
            {
                return await PlaceAsync(caller, cluster!, spec, allocated: false, ct);
            }

            // Racing creations may pick the same free address; the loser's insert hits the unique index and tries the
            // next free one instead of answering 409 while the pool still has room.
            return await db.RetryWhileTakenAsync(
                async () => await PlaceAsync(caller, cluster!, spec with { Vip = await AllocateVipAsync(cluster!, ct) }, allocated: true, ct));
        });

    public Task<Versioned<LoadBalancerResponse>> UpdateAsync(Caller caller, string id, LoadBalancerRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.LoadBalancer, id, async () =>
        {
            var lb = await caller.Visible(db.LoadBalancers).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            var errors = write.Errors;
            Writes.Fixed(errors, "projectId", request.ProjectId, lb.ProjectId);
            Writes.Fixed(errors, "clusterId", request.ClusterId, lb.ClusterId);
            var spec = (request with { ProjectId = lb.ProjectId, ClusterId = lb.ClusterId, Vip = request.Vip ?? lb.Vip }).Normalize(errors);
            errors.ThrowIfAny();
            spec = spec with { VipPrefixLength = spec.VipPrefixLength ?? (spec.Vip == lb.Vip ? lb.VipPrefixLength : DefaultPrefix(spec.Vip!)) };

            await db.UpdateAsync(
                lb, spec, Writes.Moves(Affected.LoadBalancer(lb.Id, lb.ClusterId)), time.UtcDateTime(), ct,
                beforeChange: async () =>
                {
                    if (spec.Vip != lb.Vip || spec.VipPrefixLength != lb.VipPrefixLength)
                    {
                        var cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == lb.ClusterId, ct);
                        await CheckVipAsync(caller, cluster, spec, lb.Id, ct);
                    }
                });
            return await ResponseAsync(lb, ct);
        });

    /// <summary>Without <paramref name="cascade"/> a load balancer that still has listeners or backend groups is kept (409).</summary>
    public Task DeleteAsync(Caller caller, string id, bool cascade, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.LoadBalancer, id, async () =>
        {
            var lb = await caller.Visible(db.LoadBalancers).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            var listeners = await db.Listeners.Where(l => l.LoadBalancerId == id).ToListAsync(ct);
            var groups = await db.BackendGroups.Where(g => g.LoadBalancerId == id).ToListAsync(ct);
            if (!cascade && (listeners.Count > 0 || groups.Count > 0))
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
        });

    private async Task<Versioned<LoadBalancerResponse>> PlaceAsync(Caller caller, Cluster cluster, LoadBalancerRequest spec, bool allocated, CancellationToken ct)
    {
        var vip = spec.Vip!;
        spec = spec with { VipPrefixLength = spec.VipPrefixLength ?? DefaultPrefix(vip) };
        await CheckVipAsync(caller, cluster, spec, null, ct, chosen: !allocated);

        var now = time.UtcDateTime();
        var lb = new LoadBalancer
        {
            Id = Ids.New("lb"),
            ProjectId = spec.ProjectId!,
            ClusterId = cluster.Id,
            Name = spec.Name!,
            Vip = vip,
            CreatedAt = now,
            UpdatedAt = now,
        };
        lb.Apply(spec);
        db.LoadBalancers.Add(lb);
        await db.SaveAsync(Affected.LoadBalancer(lb.Id, lb.ClusterId), ct);
        return await ResponseAsync(lb, ct);
    }

    private async Task<Versioned<LoadBalancerResponse>> ResponseAsync(LoadBalancer lb, CancellationToken ct) =>
        Versioned.Of(lb, lb.ToResponse(await statuses.ForAsync(lb, ct)));

    private static int DefaultPrefix(string vip) => IPAddress.Parse(vip).AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    private async Task<string> AllocateVipAsync(Cluster cluster, CancellationToken ct)
    {
        if (cluster.VipPools.Count == 0)
        {
            throw ValidationFailedException.For("vip", $"is required: cluster '{cluster.Id}' has no VIP pools to allocate from.");
        }

        // A VIP is never a node's address, of this cluster or another.
        var used = (await db.LoadBalancers.Where(lb => lb.ClusterId == cluster.Id).Select(lb => lb.Vip).ToListAsync(ct))
            .Concat(await db.Nodes.Select(n => n.Address).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var text in cluster.VipPools)
        {
            if (VipPool.TryParse(text, out var pool)
                && pool.Addresses().Take(used.Count + 1).FirstOrDefault(a => !used.Contains(a.ToString()) && AddressPolicy.VipProblem(a) is null) is { } free)
            {
                return free.ToString();
            }
        }

        throw ProblemException.Conflict($"Every VIP pool of cluster '{cluster.Id}' is used up; add a pool or give a vip.");
    }

    /// <summary>
    /// The address policy for VIPs (see the README): a unicast address of a class clients can reach, inside the
    /// cluster's pools when it has pools (a member may choose a VIP only there; on a cluster without pools only an
    /// admin places VIPs), with a prefix length the cluster allows, not a node's address (of any cluster), not
    /// another load balancer's VIP in the cluster. Clusters on separate networks may reuse addresses, so VIPs are
    /// unique per cluster; keeping the pools of clusters that share a network apart is the admins' part.
    /// </summary>
    /// <param name="chosen">
    /// False for an address the pool just gave: a racing creation that took it meanwhile is then left to the unique
    /// index, whose refusal makes the allocation try the next address.
    /// </param>
    private async Task CheckVipAsync(
        Caller caller, Cluster cluster, LoadBalancerRequest spec, string? id, CancellationToken ct, bool chosen = true)
    {
        var vip = IPAddress.Parse(spec.Vip!);
        var errors = new ValidationErrors();
        var pools = cluster.VipPools.Select(text => VipPool.TryParse(text, out var pool) ? pool : (VipPool?)null).OfType<VipPool>().ToList();
        if (AddressPolicy.VipProblem(vip) is { } problem)
        {
            errors.Add("vip", problem);
        }
        else if (pools.Count > 0 && !pools.Any(pool => pool.Contains(vip)))
        {
            errors.Add("vip", $"is outside every VIP pool of cluster '{cluster.Id}' ({string.Join(", ", cluster.VipPools)}).");
        }
        else if (pools.Count == 0 && !caller.IsAdmin)
        {
            errors.Add("vip", $"cannot be chosen on cluster '{cluster.Id}', which has no VIP pools: only an admin places VIPs there.");
        }

        var maxPrefix = DefaultPrefix(spec.Vip!);
        // Lengths up to 32 are IPv4 VIPs', longer ones IPv6 VIPs': an IPv6 VIP under /33 would route a whole region.
        var allowed = cluster.VipPrefixLengths.Where(length => maxPrefix == 32 ? length <= 32 : length > 32).ToList();
        if (spec.VipPrefixLength is not { } prefix || prefix > maxPrefix || !allowed.Contains(prefix))
        {
            errors.Add("vipPrefixLength", allowed.Count == 0
                ? $"cannot be given for VIP {spec.Vip}: cluster '{cluster.Id}' allows no prefix length for its address family."
                : $"must be one of the prefix lengths cluster '{cluster.Id}' allows for VIP {spec.Vip}: {string.Join(", ", allowed)}.");
        }

        if (errors.IsEmpty && await db.Nodes.AnyAsync(n => n.Address == spec.Vip, ct))
        {
            errors.Add("vip", "is the address of a node: a VIP must be an address of its own.");
        }

        errors.ThrowIfAny();
        if (chosen && await db.LoadBalancers.AnyAsync(lb => lb.ClusterId == cluster.Id && lb.Vip == spec.Vip && lb.Id != id, ct))
        {
            throw ProblemException.Conflict($"VIP {spec.Vip} is used by another load balancer of cluster '{cluster.Id}'.");
        }
    }
}
