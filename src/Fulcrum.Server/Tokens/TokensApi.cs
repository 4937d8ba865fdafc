using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Tokens;

public static class TokensApi
{
    public static void MapTokensApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Tokens");
        group.MapPost("/", CreateAsync).Accepts<TokenRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<TokenRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<TokenResponse>> CreateAsync(Body<TokenRequest> body, Caller caller, TokenOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/tokens/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<TokenResponse>>> ListAsync(Caller caller, TokenOperations ops, string? projectId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, projectId, offset, limit, ct));

    private static async Task<Ok<TokenResponse>> GetAsync(string id, Caller caller, TokenOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<TokenResponse>> UpdateAsync(string id, Body<TokenRequest> body, Caller caller, TokenOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, TokenOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }
}
