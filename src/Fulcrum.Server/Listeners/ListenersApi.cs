using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Listeners;

public static class ListenersApi
{
    public static void MapListenersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/listeners").WithTags("Listeners");
        group.MapPost("/", CreateAsync).Accepts<ListenerRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<ListenerRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/stats", StatsAsync);
    }

    private static async Task<Created<ListenerResponse>> CreateAsync(Body<ListenerRequest> body, Caller caller, ListenerOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/listeners/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<ListenerResponse>>> ListAsync(Caller caller, ListenerOperations ops, string? loadBalancerId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, loadBalancerId, offset, limit, ct));

    private static async Task<Ok<ListenerResponse>> GetAsync(string id, Caller caller, ListenerOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<ListenerResponse>> UpdateAsync(string id, Body<ListenerRequest> body, Caller caller, ListenerOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, ListenerOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ListenerStatsResponse>> StatsAsync(string id, Caller caller, ListenerOperations ops, CancellationToken ct) =>
        TypedResults.Ok(await ops.StatsAsync(caller, id, ct));
}
