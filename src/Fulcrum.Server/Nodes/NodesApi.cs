using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.JoinTokens;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Nodes;

/// <summary>Nodes enrol themselves with a join token; admins read them, adjust priority and interface, or remove them.</summary>
public static class NodesApi
{
    private const string Kind = "node";
    private const int FirstPriority = 100;
    private const int PriorityStep = 10;

    public static void MapNodesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/nodes").WithTags("Nodes");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<NodeUpdateRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    public static void MapAgentJoinApi(this IEndpointRouteBuilder api) =>
        api.MapPost("/agent/join", JoinAsync).AllowAnonymous().WithTags("Agent").Accepts<AgentJoinRequest>("application/json");

    private static async Task<Ok<Page<NodeResponse>>> ListAsync(Caller caller, FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, string? clusterId, int? offset, int? limit, CancellationToken ct)
    {
        caller.RequireAdmin();
        var now = time.UtcDateTime();
        var query = db.Nodes.AsNoTracking().Where(n => clusterId == null || n.ClusterId == clusterId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, n => n.ToResponse(now, options.Value.NodeOfflineAfter), ct));
    }

    private static async Task<Ok<NodeResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var node = await db.Nodes.AsNoTracking().ByIdAsync(id, Kind, ct);
        return http.WithETag(node, TypedResults.Ok(node.ToResponse(time.UtcDateTime(), options.Value.NodeOfflineAfter)));
    }

    private static async Task<Ok<NodeResponse>> UpdateAsync(string id, Body<NodeUpdateRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var node = await db.Nodes.ByIdAsync(id, Kind, ct);
        ETags.CheckIfMatch(http, node);
        var spec = body.Value.Normalize(body.Errors);
        body.Errors.ThrowIfAny();
        await EnsurePriorityFreeAsync(db, node.ClusterId, spec.Priority!.Value, id, ct);

        var now = time.UtcDateTime();
        var before = new NodeUpdateRequest(node.Name, node.Interface, node.Priority);
        if (!Revisions.Same(before, spec))
        {
            var affectsNodes = before.Interface != spec.Interface || before.Priority != spec.Priority;
            node.Name = spec.Name!;
            node.Interface = spec.Interface!;
            node.Priority = spec.Priority.Value;
            node.Touch(now);
            await db.SaveAsync(affectsNodes ? Affected.Cluster(node.ClusterId) : Affected.None, ct);
        }

        return http.WithETag(node, TypedResults.Ok(node.ToResponse(now, options.Value.NodeOfflineAfter)));
    }

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var node = await db.Nodes.ByIdAsync(id, Kind, ct);
        ETags.CheckIfMatch(http, node);
        db.Nodes.Remove(node);
        await db.SaveAsync(Affected.Cluster(node.ClusterId), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Created<AgentJoinResponse>> JoinAsync(Body<AgentJoinRequest> body, FulcrumDbContext db, TimeProvider time, CancellationToken ct)
    {
        var spec = body.Value.Normalize(body.Errors);
        body.Errors.ThrowIfAny();

        var now = time.UtcDateTime();
        var hash = Ids.Hash(spec.Token!);
        // Nodes joining at once may pick the same free priority; the loser sees it taken next time and picks another.
        return await db.RetryWhileTakenAsync(() => EnrolAsync(spec, hash, now, db, ct));
    }

    private static async Task<Created<AgentJoinResponse>> EnrolAsync(AgentJoinRequest spec, string hash, DateTime now, FulcrumDbContext db, CancellationToken ct)
    {
        var token = await db.JoinTokens.SingleOrDefaultAsync(t => t.SecretHash == hash, ct)
            ?? throw ProblemException.Forbidden("The join token is not valid; ask an admin for a new one.");
        EnsureUsable(token, now);

        // A priority picked here was free a moment ago: a racing join that took it since hits the unique index, and
        // the enrolment is tried again. One the node asked for is checked, for a clear 409.
        var priority = spec.Priority ?? await FreePriorityAsync(db, token.ClusterId, ct);
        if (spec.Priority is not null)
        {
            await EnsurePriorityFreeAsync(db, token.ClusterId, priority, null, ct);
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
        return TypedResults.Created($"/api/v1/nodes/{node.Id}", new AgentJoinResponse(node.Id, node.ClusterId, credential));
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

    private static async Task<int> FreePriorityAsync(FulcrumDbContext db, string clusterId, CancellationToken ct)
    {
        var taken = (await db.Nodes.Where(n => n.ClusterId == clusterId).Select(n => n.Priority).ToListAsync(ct)).ToHashSet();
        var preferred = Enumerable.Range(0, FirstPriority / PriorityStep).Select(i => FirstPriority - (i * PriorityStep));
        return preferred.Concat(Enumerable.Range(1, 254).Reverse()).FirstOrDefault(p => !taken.Contains(p)) is var free and > 0
            ? free
            : throw ProblemException.Conflict($"Cluster '{clusterId}' has no free VRRP priority left.");
    }

    private static async Task EnsurePriorityFreeAsync(FulcrumDbContext db, string clusterId, int priority, string? nodeId, CancellationToken ct)
    {
        if (await db.Nodes.AnyAsync(n => n.ClusterId == clusterId && n.Priority == priority && n.Id != nodeId, ct))
        {
            throw ProblemException.Conflict($"Priority {priority} is taken by another node of cluster '{clusterId}'; each node needs its own.");
        }
    }
}
