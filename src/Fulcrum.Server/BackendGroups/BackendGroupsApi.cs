using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.BackendGroups;

public static class BackendGroupsApi
{
    public static void MapBackendGroupsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/backend-groups").WithTags("Backend groups");
        group.MapPost("/", CreateAsync).Accepts<BackendGroupRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<BackendGroupRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<BackendGroupResponse>> CreateAsync(Body<BackendGroupRequest> body, Caller caller, BackendGroupOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/backend-groups/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<BackendGroupResponse>>> ListAsync(Caller caller, BackendGroupOperations ops, string? loadBalancerId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, loadBalancerId, offset, limit, ct));

    private static async Task<Ok<BackendGroupResponse>> GetAsync(string id, Caller caller, BackendGroupOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<BackendGroupResponse>> UpdateAsync(string id, Body<BackendGroupRequest> body, Caller caller, BackendGroupOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, BackendGroupOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }
}
