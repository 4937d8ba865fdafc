using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Rules;

public static class RulesApi
{
    public static void MapRulesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/rules").WithTags("Rules");
        group.MapPost("/", CreateAsync).Accepts<RuleRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<RuleRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<RuleResponse>> CreateAsync(Body<RuleRequest> body, Caller caller, RuleOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/rules/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<RuleResponse>>> ListAsync(Caller caller, RuleOperations ops, string? listenerId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, listenerId, offset, limit, ct));

    private static async Task<Ok<RuleResponse>> GetAsync(string id, Caller caller, RuleOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<RuleResponse>> UpdateAsync(string id, Body<RuleRequest> body, Caller caller, RuleOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, RuleOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }
}
