using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Clusters;

/// <summary>Clusters are an admin's to shape; every caller may read them, to place load balancers.</summary>
public static class ClustersApi
{
    private const string Collection = "/api/v1/clusters";

    public static void MapClustersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/clusters").WithTags("Clusters");
        group.MapPost("/", CreateAsync).Accepts<ClusterRequest>("application/json")
            .WithSummary("Create a cluster");
        group.MapGet("/", ListAsync)
            .WithSummary("List clusters");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a cluster");
        group.MapPut("/{id}", UpdateAsync).Accepts<ClusterRequest>("application/json")
            .WithSummary("Replace a cluster");
        group.MapPatch("/{id}", UpdateAsync).Accepts<ClusterRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of a cluster (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a cluster");
        group.MapPost("/{id}/failover", FailoverAsync).Accepts<FailoverRequest>("application/json")
            .WithSummary("Move the VIPs off the MASTER now, to the node named or the available node of highest priority");
        group.MapGet("/{id}/snapshot", SnapshotAsync)
            .WithSummary("Get the cluster's snapshot as its nodes receive it (without private keys)");
    }

    private static async Task<Created<ClusterResponse>> CreateAsync(Body<ClusterRequest> body, Caller caller, ClusterOperations clusters, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await clusters.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<ClusterResponse>>> ListAsync(Caller caller, ClusterOperations clusters, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await clusters.ListAsync(caller, offset, limit, ct));

    private static async Task<Ok<ClusterResponse>> GetAsync(string id, Caller caller, ClusterOperations clusters, HttpContext http, CancellationToken ct) =>
        http.Ok(await clusters.GetAsync(caller, id, ct));

    private static async Task<Ok<ClusterResponse>> UpdateAsync(string id, Edit edit, Caller caller, ClusterOperations clusters, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<ClusterRequest, ClusterResponse>(http, () => clusters.GetAsync(caller, id, ct), (request, write) => clusters.UpdateAsync(caller, id, request, write, ct)));

    /// <summary>202: the nodes act on it within a moment; the cluster's <c>failover</c> shows it until the target is MASTER.</summary>
    private static async Task<Accepted<ClusterResponse>> FailoverAsync(
        string id, OptionalBody<FailoverRequest> body, Caller caller, ClusterOperations clusters, HttpContext http, CancellationToken ct)
    {
        var request = body.Body?.Value ?? new FailoverRequest(null);
        var failover = await clusters.FailoverAsync(caller, id, request, http.Write(body.Body?.Errors), ct);
        http.Response.Headers.ETag = failover.ETag;
        return TypedResults.Accepted($"{Collection}/{id}", failover.Value);
    }

    private static async Task<Ok<ClusterSnapshot>> SnapshotAsync(string id, Caller caller, ClusterOperations clusters, CancellationToken ct) =>
        TypedResults.Ok(await clusters.SnapshotAsync(caller, id, ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, ClusterOperations clusters, HttpContext http, CancellationToken ct)
    {
        await clusters.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
