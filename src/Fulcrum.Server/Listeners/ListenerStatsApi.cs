using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Listeners;

/// <summary>A listener's traffic counters as its nodes report them with their heartbeats; seen like the listener itself.</summary>
public static class ListenerStatsApi
{
    public static void MapListenerStatsApi(this IEndpointRouteBuilder api) =>
        api.MapGet("/listeners/{id}/stats", GetAsync).WithTags("Listeners")
            .WithSummary("Get a listener's traffic counters, per node and over the nodes online");

    private static async Task<Ok<ListenerStatsResponse>> GetAsync(string id, Caller caller, ListenerOperations listeners, CancellationToken ct) =>
        TypedResults.Ok(await listeners.StatsAsync(caller, id, ct));
}
