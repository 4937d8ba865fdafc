using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Nodes;

/// <summary>Nodes enrol themselves with a join token; admins read them, adjust priority and interface, or remove them.</summary>
public static class NodesApi
{
    public static void MapNodesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/nodes").WithTags("Nodes");
        group.MapGet("/", ListAsync)
            .WithSummary("List nodes");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a node");
        group.MapPut("/{id}", UpdateAsync).Accepts<NodeUpdateRequest>("application/json")
            .WithSummary("Replace a node");
        group.MapPatch("/{id}", UpdateAsync).Accepts<NodeUpdateRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of a node (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a node");
        group.MapPost("/{id}/maintenance", StartMaintenanceAsync)
            .WithSummary("Put a node in maintenance: it hands its VIPs to the other nodes and takes none until released (force=true for the last node that can hold them)");
        group.MapDelete("/{id}/maintenance", EndMaintenanceAsync)
            .WithSummary("Release a node from maintenance: it takes part in VRRP again");
    }

    public static void MapAgentJoinApi(this IEndpointRouteBuilder api) =>
        api.MapPost("/agent/join", JoinAsync).AllowAnonymous().WithTags("Agent").Accepts<AgentJoinRequest>("application/json")
            .WithSummary("Enrol a node with a join token (the node credential is in this answer only)");

    private static async Task<Ok<Page<NodeResponse>>> ListAsync(Caller caller, NodeOperations nodes, string? clusterId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await nodes.ListAsync(caller, clusterId, offset, limit, ct));

    private static async Task<Ok<NodeResponse>> GetAsync(string id, Caller caller, NodeOperations nodes, HttpContext http, CancellationToken ct) =>
        http.Ok(await nodes.GetAsync(caller, id, ct));

    private static async Task<Ok<NodeResponse>> UpdateAsync(string id, Edit edit, Caller caller, NodeOperations nodes, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<NodeUpdateRequest, NodeResponse>(http, () => nodes.GetAsync(caller, id, ct), (request, write) => nodes.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<Ok<NodeResponse>> StartMaintenanceAsync(string id, bool? force, Caller caller, NodeOperations nodes, HttpContext http, CancellationToken ct) =>
        http.Ok(await nodes.SetMaintenanceAsync(caller, id, maintenance: true, force ?? false, http.Write(), ct));

    private static async Task<Ok<NodeResponse>> EndMaintenanceAsync(string id, Caller caller, NodeOperations nodes, HttpContext http, CancellationToken ct) =>
        http.Ok(await nodes.SetMaintenanceAsync(caller, id, maintenance: false, force: false, http.Write(), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, NodeOperations nodes, HttpContext http, CancellationToken ct)
    {
        await nodes.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Created<AgentJoinResponse>> JoinAsync(Body<AgentJoinRequest> body, NodeOperations nodes, HttpContext http, CancellationToken ct)
    {
        var joined = await nodes.JoinAsync(body.Value, http.Write(body), ct);
        return TypedResults.Created($"/api/v1/nodes/{joined.NodeId}", joined);
    }
}
