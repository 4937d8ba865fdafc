using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Backends;

public static class BackendsApi
{
    public static void MapBackendsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/backends").WithTags("Backends");
        group.MapPost("/", CreateAsync).Accepts<BackendRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<BackendRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<BackendResponse>> CreateAsync(Body<BackendRequest> body, Caller caller, BackendOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/backends/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<BackendResponse>>> ListAsync(Caller caller, BackendOperations ops, string? backendGroupId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, backendGroupId, offset, limit, ct));

    private static async Task<Ok<BackendResponse>> GetAsync(string id, Caller caller, BackendOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<BackendResponse>> UpdateAsync(string id, Body<BackendRequest> body, Caller caller, BackendOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, BackendOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }
}
