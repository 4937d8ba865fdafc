using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Listeners;

public static class ListenersApi
{
    private const string Collection = "/api/v1/listeners";

    public static void MapListenersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/listeners").WithTags("Listeners");
        group.MapPost("/", CreateAsync).Accepts<ListenerRequest>("application/json")
            .WithSummary("Create a listener");
        group.MapGet("/", ListAsync)
            .WithSummary("List listeners");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a listener");
        group.MapPut("/{id}", UpdateAsync).Accepts<ListenerRequest>("application/json")
            .WithSummary("Replace a listener");
        group.MapPatch("/{id}", UpdateAsync).Accepts<ListenerRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of a listener (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a listener");
    }

    private static async Task<Created<ListenerResponse>> CreateAsync(Body<ListenerRequest> body, Caller caller, ListenerOperations listeners, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await listeners.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<ListenerResponse>>> ListAsync(Caller caller, ListenerOperations listeners, string? loadBalancerId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await listeners.ListAsync(caller, loadBalancerId, offset, limit, ct));

    private static async Task<Ok<ListenerResponse>> GetAsync(string id, Caller caller, ListenerOperations listeners, HttpContext http, CancellationToken ct) =>
        http.Ok(await listeners.GetAsync(caller, id, ct));

    private static async Task<Ok<ListenerResponse>> UpdateAsync(string id, Edit edit, Caller caller, ListenerOperations listeners, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<ListenerRequest, ListenerResponse>(http, () => listeners.GetAsync(caller, id, ct), (request, write) => listeners.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, ListenerOperations listeners, HttpContext http, CancellationToken ct)
    {
        await listeners.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
