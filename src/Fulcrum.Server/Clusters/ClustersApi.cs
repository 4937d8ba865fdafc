using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Clusters;

/// <summary>Clusters are an admin's to shape; every caller may read them, to place load balancers.</summary>
public static class ClustersApi
{
    public static void MapClustersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/clusters").WithTags("Clusters");
        group.MapPost("/", CreateAsync).Accepts<ClusterRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<ClusterRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/snapshot", SnapshotAsync);
    }

    private static async Task<Created<ClusterResponse>> CreateAsync(Body<ClusterRequest> body, Caller caller, ClusterOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/clusters/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<ClusterResponse>>> ListAsync(Caller caller, ClusterOperations ops, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, offset, limit, ct));

    private static async Task<Ok<ClusterResponse>> GetAsync(string id, Caller caller, ClusterOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<ClusterResponse>> UpdateAsync(string id, Body<ClusterRequest> body, Caller caller, ClusterOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, ClusterOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ClusterSnapshot>> SnapshotAsync(string id, Caller caller, ClusterOperations ops, CancellationToken ct) =>
        TypedResults.Ok(await ops.SnapshotAsync(caller, id, ct));
}
