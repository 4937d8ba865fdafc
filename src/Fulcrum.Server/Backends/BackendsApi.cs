using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Backends;

public static class BackendsApi
{
    private const string Collection = "/api/v1/backends";

    public static void MapBackendsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/backends").WithTags("Backends");
        group.MapPost("/", CreateAsync).Accepts<BackendRequest>("application/json")
            .WithSummary("Create a backend");
        group.MapGet("/", ListAsync)
            .WithSummary("List backends");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a backend");
        group.MapPut("/{id}", UpdateAsync).Accepts<BackendRequest>("application/json")
            .WithSummary("Replace a backend");
        group.MapPatch("/{id}", UpdateAsync).Accepts<BackendRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of a backend (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a backend");
    }

    private static async Task<Created<BackendResponse>> CreateAsync(Body<BackendRequest> body, Caller caller, BackendOperations backends, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await backends.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<BackendResponse>>> ListAsync(Caller caller, BackendOperations backends, string? backendGroupId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await backends.ListAsync(caller, backendGroupId, offset, limit, ct));

    private static async Task<Ok<BackendResponse>> GetAsync(string id, Caller caller, BackendOperations backends, HttpContext http, CancellationToken ct) =>
        http.Ok(await backends.GetAsync(caller, id, ct));

    private static async Task<Ok<BackendResponse>> UpdateAsync(string id, Edit edit, Caller caller, BackendOperations backends, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<BackendRequest, BackendResponse>(http, () => backends.GetAsync(caller, id, ct), (request, write) => backends.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, BackendOperations backends, HttpContext http, CancellationToken ct)
    {
        await backends.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
