using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Listeners;

/// <summary>A listener's traffic counters and access log as its nodes report them with their heartbeats; seen like the listener itself.</summary>
public static class ListenerStatsApi
{
    public static void MapListenerStatsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/listeners/{id}/stats", GetAsync).WithTags("Listeners")
            .WithSummary("Get a listener's traffic counters, per node and over the nodes online");
        api.MapGet("/listeners/{id}/access-log", AccessLogAsync).WithTags("Listeners")
            .WithSummary("Get the newest lines of a listener's access log, as its cluster's MASTER reported them");
    }

    private static async Task<Ok<ListenerStatsResponse>> GetAsync(string id, Caller caller, ListenerOperations listeners, CancellationToken ct) =>
        TypedResults.Ok(await listeners.StatsAsync(caller, id, ct));

    private static async Task<Ok<AccessLogResponse>> AccessLogAsync(string id, int? limit, Caller caller, ListenerOperations listeners, CancellationToken ct) =>
        TypedResults.Ok(await listeners.AccessLogAsync(caller, id, limit, ct));
}
