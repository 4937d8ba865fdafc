using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.BackendGroups;

public static class BackendGroupsApi
{
    private const string Collection = "/api/v1/backend-groups";

    public static void MapBackendGroupsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/backend-groups").WithTags("Backend groups");
        group.MapPost("/", CreateAsync).Accepts<BackendGroupRequest>("application/json")
            .WithSummary("Create a backend group");
        group.MapGet("/", ListAsync)
            .WithSummary("List backend groups");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a backend group");
        group.MapPut("/{id}", UpdateAsync).Accepts<BackendGroupRequest>("application/json")
            .WithSummary("Replace a backend group");
        group.MapPatch("/{id}", UpdateAsync).Accepts<BackendGroupRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of a backend group (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a backend group");
    }

    private static async Task<Created<BackendGroupResponse>> CreateAsync(Body<BackendGroupRequest> body, Caller caller, BackendGroupOperations groups, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await groups.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<BackendGroupResponse>>> ListAsync(Caller caller, BackendGroupOperations groups, string? loadBalancerId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await groups.ListAsync(caller, loadBalancerId, offset, limit, ct));

    private static async Task<Ok<BackendGroupResponse>> GetAsync(string id, Caller caller, BackendGroupOperations groups, HttpContext http, CancellationToken ct) =>
        http.Ok(await groups.GetAsync(caller, id, ct));

    private static async Task<Ok<BackendGroupResponse>> UpdateAsync(string id, Edit edit, Caller caller, BackendGroupOperations groups, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<BackendGroupRequest, BackendGroupResponse>(http, () => groups.GetAsync(caller, id, ct), (request, write) => groups.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, BackendGroupOperations groups, HttpContext http, CancellationToken ct)
    {
        await groups.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
