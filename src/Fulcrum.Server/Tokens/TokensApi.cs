using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Tokens;

/// <summary>API tokens are made and revoked by admins; the secret is shown once, in the answer that creates it.</summary>
public static class TokensApi
{
    private const string Collection = "/api/v1/tokens";

    public static void MapTokensApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Tokens");
        group.MapPost("/", CreateAsync).Accepts<TokenRequest>("application/json")
            .WithSummary("Create an API token (its secret is in this answer only)");
        group.MapGet("/", ListAsync)
            .WithSummary("List API tokens");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get an API token");
        group.MapPut("/{id}", UpdateAsync).Accepts<TokenRequest>("application/json")
            .WithSummary("Replace an API token");
        group.MapPatch("/{id}", UpdateAsync).Accepts<TokenRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of an API token (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete an API token");
    }

    private static async Task<Created<TokenResponse>> CreateAsync(Body<TokenRequest> body, Caller caller, TokenOperations tokens, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await tokens.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<TokenResponse>>> ListAsync(Caller caller, TokenOperations tokens, string? projectId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await tokens.ListAsync(caller, projectId, offset, limit, ct));

    private static async Task<Ok<TokenResponse>> GetAsync(string id, Caller caller, TokenOperations tokens, HttpContext http, CancellationToken ct) =>
        http.Ok(await tokens.GetAsync(caller, id, ct));

    private static async Task<Ok<TokenResponse>> UpdateAsync(string id, Edit edit, Caller caller, TokenOperations tokens, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<TokenRequest, TokenResponse>(http, () => tokens.GetAsync(caller, id, ct), (request, write) => tokens.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, TokenOperations tokens, HttpContext http, CancellationToken ct)
    {
        await tokens.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
