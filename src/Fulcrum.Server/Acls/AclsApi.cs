using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Acls;

public static class AclsApi
{
    public static void MapAclsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/acls").WithTags("ACLs");
        group.MapPost("/", CreateAsync).Accepts<AclRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<AclRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<AclResponse>> CreateAsync(Body<AclRequest> body, Caller caller, AclOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/acls/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<AclResponse>>> ListAsync(Caller caller, AclOperations ops, string? projectId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, projectId, offset, limit, ct));

    private static async Task<Ok<AclResponse>> GetAsync(string id, Caller caller, AclOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<AclResponse>> UpdateAsync(string id, Body<AclRequest> body, Caller caller, AclOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, AclOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }
}
