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
        group.MapPost("/", CreateAsync).Accepts<ListenerRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<ListenerRequest>("application/json");
        group.MapPatch("/{id}", UpdateAsync).Accepts<ListenerRequest>(Edit.MergePatchType);
        group.MapDelete("/{id}", DeleteAsync);
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
