using Fulcrum.Core.Api;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.JoinTokens;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Nodes;

/// <summary>Nodes enrol themselves with a join token; admins read them, adjust priority and interface, or remove them.</summary>
public sealed class NodeOperations(FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, AuditLog audit)
{
    private const string Kind = "node";
    private const int FirstPriority = 100;
    private const int PriorityStep = 10;

    public async Task<Page<NodeResponse>> ListAsync(Caller caller, string? clusterId, int? offset, int? limit, CancellationToken ct)
    {
        caller.RequireAdmin();
        var now = time.UtcDateTime();
        var query = db.Nodes.AsNoTracking().Where(n => clusterId == null || n.ClusterId == clusterId);
        return await query.PageAsync(offset, limit, n => n.ToResponse(now, options.Value.NodeOfflineAfter), ct);
    }

    public async Task<Versioned<NodeResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        caller.RequireAdmin();
        var node = await db.Nodes.AsNoTracking().ByIdAsync(id, Kind, ct);
        return Response(node);
    }

    public Task<Versioned<NodeResponse>> UpdateAsync(Caller caller, string id, NodeUpdateRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.Node, id, async () =>
        {
            caller.RequireAdmin();
            var node = await db.Nodes.ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            var spec = request.Normalize(write.Errors);
            write.Errors.ThrowIfAny();
            await EnsurePriorityFreeAsync(node.ClusterId, spec.Priority!.Value, id, ct);
            await db.UpdateAsync(node, spec, Writes.Moves(Affected.Cluster(node.ClusterId)), time.UtcDateTime(), ct);
            return Response(node);
        });

    /// <summary>
    /// Puts the node in maintenance, or releases it: in maintenance it hands its VIPs to the other nodes and takes none
    /// back until released; released, it takes part in VRRP again by the cluster's rules (with nopreempt it stays
    /// BACKUP while another node is MASTER). Putting in maintenance the last node that could hold the VIPs — no other
    /// is online, reporting MASTER or BACKUP, and out of maintenance — leaves the cluster's load balancers unserved, so
    /// it takes <paramref name="force"/>. A failover under way to this node ends: it is not to take the VIPs now.
    /// </summary>
    public Task<Versioned<NodeResponse>> SetMaintenanceAsync(Caller caller, string id, bool maintenance, bool force, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, maintenance ? "maintenance" : "release", AuditResources.Node, id, async () =>
        {
            caller.RequireAdmin();
            var node = await db.Nodes.ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            if (node.Maintenance == maintenance)
            {
                return Response(node);
            }

            var now = time.UtcDateTime();
            if (maintenance && !force && !await OtherCanHoldVipsAsync(node, now, ct))
            {
                throw ProblemException.Conflict(
                    $"Node '{id}' is the last node of cluster '{node.ClusterId}' that can hold its VIPs: in maintenance, no node would serve its load balancers. Release another node first, or force it.");
            }

            node.Maintenance = maintenance;
            node.Touch(now);
            if (maintenance && await db.Clusters.SingleAsync(c => c.Id == node.ClusterId, ct) is { } cluster && cluster.FailoverTargetNodeId == id)
            {
                cluster.FailoverFromNodeId = null;
                cluster.FailoverTargetNodeId = null;
                cluster.FailoverRequestedAt = null;
            }

            await db.SaveAsync(Affected.Cluster(node.ClusterId), ct);
            return Response(node);
        });

    private async Task<bool> OtherCanHoldVipsAsync(Node node, DateTime now, CancellationToken ct)
    {
        var others = await db.Nodes.AsNoTracking()
            .Where(n => n.ClusterId == node.ClusterId && n.Id != node.Id && !n.Maintenance && (n.VrrpState == VrrpState.Master || n.VrrpState == VrrpState.Backup))
            .ToListAsync(ct);
        return others.Any(n => n.IsOnline(now, options.Value.NodeOfflineAfter));
    }

    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.Node, id, async () =>
        {
            caller.RequireAdmin();
            var node = await db.Nodes.ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            db.Nodes.Remove(node);
            await db.SaveAsync(Affected.Cluster(node.ClusterId), ct);
        });

    /// <summary>Enrols a node with a join token (no caller: the token is the authority); the credential is in this answer only.</summary>
    public Task<AgentJoinResponse> JoinAsync(AgentJoinRequest request, Write write, CancellationToken ct) =>
        audit.RecordNodeAsync(joined => joined.NodeId, "join", async () =>
        {
            var spec = request.Normalize(write.Errors);
            write.Errors.ThrowIfAny();

            var now = time.UtcDateTime();
            var hash = Ids.Hash(spec.Token!);
            // Nodes joining at once may pick the same free priority, or count a use of the same token: the loser sees
            // the priority taken, or the new count, next time.
            return await db.RetryWhileRacedAsync(() => EnrolAsync(spec, hash, now, ct));
        });

    private Versioned<NodeResponse> Response(Node node) =>
        Versioned.Of(node, node.ToResponse(time.UtcDateTime(), options.Value.NodeOfflineAfter));

    private async Task<AgentJoinResponse> EnrolAsync(AgentJoinRequest spec, string hash, DateTime now, CancellationToken ct)
    {
        var token = await db.JoinTokens.SingleOrDefaultAsync(t => t.SecretHash == hash, ct)
            ?? throw ProblemException.Forbidden("The join token is not valid; ask an admin for a new one.");
        EnsureUsable(token, now);

        // A priority picked here was free a moment ago: a racing join that took it since hits the unique index, and
        // the enrolment is tried again. One the node asked for is checked, for a clear 409.
        var priority = spec.Priority ?? await FreePriorityAsync(token.ClusterId, ct);
        if (spec.Priority is not null)
        {
            await EnsurePriorityFreeAsync(token.ClusterId, priority, null, ct);
        }

        var credential = Ids.NewSecret(NodeCaller.CredentialPrefix);
        var node = new Node
        {
            Id = Ids.New("node"),
            ClusterId = token.ClusterId,
            Name = spec.Name!,
            Address = spec.Address!,
            Interface = spec.Interface!,
            Priority = priority,
            CredentialHash = Ids.Hash(credential),
            AgentVersion = spec.Versions?.Agent,
            HaproxyVersion = spec.Versions?.Haproxy,
            NginxVersion = spec.Versions?.Nginx,
            KeepalivedVersion = spec.Versions?.Keepalived,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Nodes.Add(node);
        token.Uses++;
        token.Touch(now);
        await db.SaveAsync(Affected.Cluster(node.ClusterId), ct);
        return new AgentJoinResponse(node.Id, node.ClusterId, credential);
    }

    private static void EnsureUsable(JoinToken token, DateTime now)
    {
        if (token.RevokedAt is { } revoked)
        {
            throw ProblemException.Forbidden($"The join token was revoked at {revoked.AsUtc():u}; ask an admin for a new one.");
        }

        if (token.ExpiresAt.AsUtc() <= now)
        {
            throw ProblemException.Forbidden($"The join token expired at {token.ExpiresAt.AsUtc():u}; ask an admin for a new one.");
        }

        if (token.Uses >= token.MaxUses)
        {
            throw ProblemException.Forbidden($"The join token has enrolled {token.Uses} node(s), all it allows; ask an admin for a new one.");
        }
    }

    private async Task<int> FreePriorityAsync(string clusterId, CancellationToken ct)
    {
        var taken = (await db.Nodes.Where(n => n.ClusterId == clusterId).Select(n => n.Priority).ToListAsync(ct)).ToHashSet();
        var preferred = Enumerable.Range(0, FirstPriority / PriorityStep).Select(i => FirstPriority - (i * PriorityStep));
        return preferred.Concat(Enumerable.Range(1, 254).Reverse()).FirstOrDefault(p => !taken.Contains(p)) is var free and > 0
            ? free
            : throw ProblemException.Conflict($"Cluster '{clusterId}' has no free VRRP priority left.");
    }

    private async Task EnsurePriorityFreeAsync(string clusterId, int priority, string? nodeId, CancellationToken ct)
    {
        if (await db.Nodes.AnyAsync(n => n.ClusterId == clusterId && n.Priority == priority && n.Id != nodeId, ct))
        {
            throw ProblemException.Conflict($"Priority {priority} is taken by another node of cluster '{clusterId}'; each node needs its own.");
        }
    }
}
