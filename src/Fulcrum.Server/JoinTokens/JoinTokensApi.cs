using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.JoinTokens;

/// <summary>Join tokens enrol nodes into a cluster. DELETE revokes: the token stays listed, with its revocation time.</summary>
public static class JoinTokensApi
{
    private const string Collection = "/api/v1/join-tokens";

    public static void MapJoinTokensApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/join-tokens").WithTags("Join tokens");
        group.MapPost("/", CreateAsync).Accepts<JoinTokenRequest>("application/json")
            .WithSummary("Create a join token (its secret is in this answer only)");
        group.MapGet("/", ListAsync)
            .WithSummary("List join tokens");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a join token");
        group.MapDelete("/{id}", RevokeAsync)
            .WithSummary("Revoke a join token");
    }

    private static async Task<Created<JoinTokenResponse>> CreateAsync(Body<JoinTokenRequest> body, Caller caller, JoinTokenOperations tokens, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await tokens.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<JoinTokenResponse>>> ListAsync(Caller caller, JoinTokenOperations tokens, string? clusterId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await tokens.ListAsync(caller, clusterId, offset, limit, ct));

    private static async Task<Ok<JoinTokenResponse>> GetAsync(string id, Caller caller, JoinTokenOperations tokens, HttpContext http, CancellationToken ct) =>
        http.Ok(await tokens.GetAsync(caller, id, ct));

    private static async Task<NoContent> RevokeAsync(string id, Caller caller, JoinTokenOperations tokens, HttpContext http, CancellationToken ct)
    {
        await tokens.RevokeAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
