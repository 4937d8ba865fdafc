using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Nodes;

public static class NodesApi
{
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

    private static async Task<Ok<Page<NodeResponse>>> ListAsync(Caller caller, NodeOperations ops, string? clusterId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, clusterId, offset, limit, ct));

    private static async Task<Ok<NodeResponse>> GetAsync(string id, Caller caller, NodeOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<NodeResponse>> UpdateAsync(string id, Body<NodeUpdateRequest> body, Caller caller, NodeOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, NodeOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Created<AgentJoinResponse>> JoinAsync(Body<AgentJoinRequest> body, NodeOperations ops, HttpContext http, CancellationToken ct)
    {
        var joined = await ops.JoinAsync(body.Value, Write.From(http, body), ct);
        return TypedResults.Created($"/api/v1/nodes/{joined.NodeId}", joined);
    }
}
