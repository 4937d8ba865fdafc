using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Rules;

public static class RulesApi
{
    private const string Collection = "/api/v1/rules";

    public static void MapRulesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/rules").WithTags("Rules");
        group.MapPost("/", CreateAsync).Accepts<RuleRequest>("application/json")
            .WithSummary("Create a rule");
        group.MapGet("/", ListAsync)
            .WithSummary("List rules (in evaluation order)");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a rule");
        group.MapPut("/{id}", UpdateAsync).Accepts<RuleRequest>("application/json")
            .WithSummary("Replace a rule");
        group.MapPatch("/{id}", UpdateAsync).Accepts<RuleRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of a rule (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a rule");
    }

    private static async Task<Created<RuleResponse>> CreateAsync(Body<RuleRequest> body, Caller caller, RuleOperations rules, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await rules.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<RuleResponse>>> ListAsync(Caller caller, RuleOperations rules, string? listenerId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await rules.ListAsync(caller, listenerId, offset, limit, ct));

    private static async Task<Ok<RuleResponse>> GetAsync(string id, Caller caller, RuleOperations rules, HttpContext http, CancellationToken ct) =>
        http.Ok(await rules.GetAsync(caller, id, ct));

    private static async Task<Ok<RuleResponse>> UpdateAsync(string id, Edit edit, Caller caller, RuleOperations rules, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<RuleRequest, RuleResponse>(http, () => rules.GetAsync(caller, id, ct), (request, write) => rules.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, RuleOperations rules, HttpContext http, CancellationToken ct)
    {
        await rules.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
