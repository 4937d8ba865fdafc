using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Audit;

public static class AuditEventsApi
{
    public static void MapAuditEventsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/audit-events").WithTags("Audit events");
        group.MapGet("/", ListAsync)
            .WithSummary("List audit events, newest first: who wrote what, when, and how it was answered")
            .WithDescription("Filters: projectId, clusterId (the cluster and everything in it), loadBalancerId (the load balancer and everything in it), resourceType (project, token, cluster, join-token, node, load-balancer, listener, rule, backend-group, backend, certificate, acl), resourceId, since and until (ISO 8601 instants; since inclusive, until exclusive). Admins see every event; members and viewers their project's.");
    }

    private static async Task<Ok<Page<AuditEventResponse>>> ListAsync(
        Caller caller, AuditEventOperations audit, string? projectId, string? clusterId, string? loadBalancerId, string? resourceType, string? resourceId, string? since, string? until, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await audit.ListAsync(caller, new AuditEventFilter(projectId, clusterId, loadBalancerId, resourceType, resourceId, since, until), offset, limit, ct));
}
