using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Console.Shell;
using Fulcrum.Server.Http;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.Metrics;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Snapshots;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Agent;

/// <summary>
/// The endpoints a node's agent calls with its node credential: the long poll for its cluster's snapshot and the
/// heartbeat. Enrolment (<c>POST /agent/join</c>, with a join token) lives with the nodes.
/// </summary>
public static class AgentApi
{
    public const int DefaultWaitSeconds = 30;
    public const int MaxWaitSeconds = 60;

    /// <summary>Mapped beside the <c>/api/v1</c> group, whose default policy admits API tokens only.</summary>
    public static void MapAgentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/agent").WithTags("Agent")
            .RequireAuthorization(NodeCaller.Policy)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/snapshot", SnapshotAsync).Produces<ClusterSnapshot>(contentType: "application/json")
            .WithSummary("Wait for a cluster revision after the given one and take its snapshot (long poll)");
        group.MapPost("/heartbeat", HeartbeatAsync).AddEndpointFilter(ServerMetrics.CountHeartbeatsAsync).Accepts<NodeReport>("application/json").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Report the node's applied revision, VRRP state, backend health and counters");
        group.MapPost("/credential", NodeCredentials.RotateAsync)
            .WithSummary("Rotate the node's credential (the new one is in this answer only)");
    }

    /// <summary>
    /// The cluster's snapshot, private keys included, as soon as its revision is above <paramref name="after"/>
    /// (at once when <paramref name="after"/> is omitted); 204 when it has not moved within
    /// <paramref name="waitSeconds"/>. No database connection is held while waiting. Gzip-compressed when the agent
    /// accepts it; every agent of the cluster is sent the same bytes (<see cref="SnapshotCache"/>).
    /// </summary>
    private static async Task<Results<FileContentHttpResult, NoContent>> SnapshotAsync(
        NodeCaller node, long? after, int? waitSeconds, FulcrumDbContext db, SnapshotCache snapshots, RevisionWatcher watcher, LongPolls polls, ServerMetrics metrics, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (after < 0)
        {
            errors.Add("after", "must be 0 or more.");
        }

        var wait = Grammar.Range(errors, "waitSeconds", waitSeconds ?? DefaultWaitSeconds, 0, MaxWaitSeconds);
        errors.ThrowIfAny();

        http.Response.Headers.CacheControl = "no-store";
        var known = after ?? -1;
        var revision = await db.Clusters.AsNoTracking().Where(c => c.Id == node.ClusterId).Select(c => c.Revision).SingleOrDefaultAsync(ct);
        if (revision <= known)
        {
            using var slot = polls.TryEnter(node.NodeId) ?? throw new ProblemException(
                StatusCodes.Status429TooManyRequests,
                "Too many long polls",
                $"This node already holds {LongPolls.MaxPerNode} snapshot long polls open; an agent needs one. Retry once one has ended.");
            using var watching = metrics.Watching(node.ClusterId);
            if (!await watcher.WaitAsync(node.ClusterId, known, TimeSpan.FromSeconds(wait!.Value), ct))
            {
                return TypedResults.NoContent();
            }
        }

        var snapshot = await snapshots.GetAsync(node.ClusterId, Math.Max(revision, known + 1), ct)
            ?? throw ProblemException.NotFound("cluster", node.ClusterId);
        http.Response.Headers.Vary = "Accept-Encoding";
        if (!AcceptsGzip(http.Request))
        {
            return TypedResults.Bytes(snapshot.Json, "application/json");
        }

        http.Response.Headers.ContentEncoding = "gzip";
        return TypedResults.Bytes(snapshot.Gzip, "application/json");
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0);

    /// <summary>
    /// Records what the node reports, in one transaction: its own facts (when it was seen is the server's time),
    /// backend health when the node speaks for the cluster, and its listener counters. Ids outside the node's cluster
    /// are ignored. Nothing here moves the cluster's revision, and the node's ETag stays: a heartbeat must not make an
    /// admin's If-Match stale — except that the report which ends a manual failover (its target is MASTER) moves it, to
    /// let the nodes that stood aside back into VRRP. A report of changes to backend health is taken only from a MASTER that was already
    /// MASTER and online at its previous heartbeat — the health shown is then its own picture; otherwise the node is
    /// asked for its whole picture.
    /// </summary>
    private static async Task<Ok<HeartbeatResponse>> HeartbeatAsync(
        Body<NodeReport> body, NodeCaller node, FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, ClusterEvents events, ListenerRateHistory rates, ListenerAccessLogs accessLogs, ServerMetrics metrics, CancellationToken ct)
    {
        var report = body.Value.Normalize(body.Errors);
        // A node can only have applied, or failed, a revision its cluster has had: a larger one is made up.
        var revision = await db.Clusters.Where(c => c.Id == node.ClusterId).Select(c => c.Revision).SingleOrDefaultAsync(ct);
        if (report.AppliedRevision > revision)
        {
            body.Errors.Add("appliedRevision", $"is beyond its cluster's revision ({revision}): a node can only have applied a revision its cluster has had.");
        }

        if (report.LastErrorRevision > revision)
        {
            body.Errors.Add("lastErrorRevision", $"is beyond its cluster's revision ({revision}): a node can only have tried a revision its cluster has had.");
        }

        body.Errors.ThrowIfAny();

        var now = time.UtcDateTime();
        var onlineSince = now - options.Value.NodeOfflineAfter;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var previous = await db.Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == node.NodeId, ct)
            ?? throw ProblemException.Forbidden("This node has been removed from its cluster; join it again with a new join token.");
        await db.Nodes.Where(n => n.Id == node.NodeId).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.LastSeenAt, now)
            .SetProperty(n => n.AppliedRevision, report.AppliedRevision)
            .SetProperty(n => n.LastError, report.LastError)
            .SetProperty(n => n.LastErrorRevision, report.LastErrorRevision)
            .SetProperty(n => n.LastErrorRetried, report.LastErrorRetried)
            .SetProperty(n => n.LoadBalancerErrors, Heartbeats.LoadBalancerErrorsJson(report.LoadBalancerErrors))
            .SetProperty(n => n.VrrpState, report.VrrpState)
            .SetProperty(n => n.AgentVersion, report.Versions.Agent)
            .SetProperty(n => n.HaproxyVersion, report.Versions.Haproxy)
            .SetProperty(n => n.NginxVersion, report.Versions.Nginx)
            .SetProperty(n => n.KeepalivedVersion, report.Versions.Keepalived)
            .SetProperty(n => n.Restarts, report.Restarts), ct);

        var wholeWanted = false;
        var healthChanges = 0;
        if (await SpeaksForClusterAsync(db, node, report.VrrpState, onlineSince, ct))
        {
            if (!report.Changes)
            {
                healthChanges = await Heartbeats.WriteHealthAsync(db, node.ClusterId, report.Backends, ct);
            }
            else if (report.VrrpState == VrrpState.Master && previous.VrrpState == VrrpState.Master && previous.LastSeenAt >= onlineSince)
            {
                healthChanges = await Heartbeats.WriteHealthChangesAsync(db, node.ClusterId, report.Backends, ct);
            }
            else
            {
                wholeWanted = true;
            }
        }

        var counters = report.Changes
            ? await Heartbeats.WriteCounterChangesAsync(db, node, report.Listeners, report.StoppedListeners!, now, ct)
            : await Heartbeats.WriteCountersAsync(db, node, report.Listeners, now, ct);

        var lines = report.VrrpState == VrrpState.Master ? await Heartbeats.AccessLogsOfClusterAsync(db, node, report.AccessLogs ?? [], ct) : [];
        await transaction.CommitAsync(ct);
        accessLogs.Record(lines);
        var failoverEnded = await Failovers.EndIfDoneAsync(db, node.ClusterId, node.NodeId, report.VrrpState, now, options.Value.FailoverTimeout, ct);
        if (metrics.AwaitsNodes(node.ClusterId)
            && await db.Nodes.Where(n => n.ClusterId == node.ClusterId && n.LastSeenAt >= onlineSince).MinAsync(n => (long?)n.AppliedRevision, ct) is { } everyOnline)
        {
            metrics.Propagated(node.ClusterId, everyOnline);
        }

        rates.Forget(node.NodeId, report.StoppedListeners ?? []);
        rates.Record(node.NodeId, counters, now);
        if (failoverEnded || Heartbeats.ShowsChange(previous, report, previous.LastSeenAt >= onlineSince, healthChanges))
        {
            events.Publish(new ClusterChange(node.ClusterId));
        }

        return TypedResults.Ok(new HeartbeatResponse(wholeWanted));
    }

    /// <summary>
    /// Backend health comes from the MASTER, which carries the traffic; while no node that is online claims MASTER
    /// (an election, a cluster of one that has not reported yet), from whichever node reports.
    /// </summary>
    private static async Task<bool> SpeaksForClusterAsync(FulcrumDbContext db, NodeCaller node, VrrpState state, DateTime onlineSince, CancellationToken ct) =>
        state == VrrpState.Master
        || !await db.Nodes.AnyAsync(n => n.ClusterId == node.ClusterId && n.Id != node.NodeId && n.VrrpState == VrrpState.Master && n.LastSeenAt >= onlineSince, ct);
}
