using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.JoinTokens;

/// <summary>Join tokens enrol nodes into a cluster. DELETE revokes: the token stays listed, with its revocation time.</summary>
public static class JoinTokensApi
{
    public static void MapJoinTokensApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/join-tokens").WithTags("Join tokens");
        group.MapPost("/", CreateAsync).Accepts<JoinTokenRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapDelete("/{id}", RevokeAsync);
    }

    private static async Task<Created<JoinTokenResponse>> CreateAsync(Body<JoinTokenRequest> body, Caller caller, JoinTokenOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/join-tokens/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<JoinTokenResponse>>> ListAsync(Caller caller, JoinTokenOperations ops, string? clusterId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, clusterId, offset, limit, ct));

    private static async Task<Ok<JoinTokenResponse>> GetAsync(string id, Caller caller, JoinTokenOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<NoContent> RevokeAsync(string id, Caller caller, JoinTokenOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }
}
