using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Listeners;

/// <summary>A listener's traffic counters as its nodes report them with their heartbeats; seen like the listener itself.</summary>
public static class ListenerStatsApi
{
    public static void MapListenerStatsApi(this IEndpointRouteBuilder api) =>
        api.MapGet("/listeners/{id}/stats", GetAsync).WithTags("Listeners");

    private static async Task<Ok<ListenerStatsResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, CancellationToken ct)
    {
        var listener = await caller.Visible(db.Listeners.AsNoTracking()).ByIdAsync(id, "listener", ct);
        var rows = await db.ListenerStats.AsNoTracking().Where(s => s.ListenerId == listener.Id)
            .Join(db.Nodes, s => s.NodeId, n => n.Id, (s, n) => new { Stats = s, Node = n })
            .OrderByDescending(row => row.Node.Priority).ThenBy(row => row.Node.Id)
            .ToListAsync(ct);

        var now = time.UtcDateTime();
        var nodes = rows.Select(row => row.Stats.ToResponse(row.Node.IsOnline(now, options.Value.NodeOfflineAfter))).ToList();
        var online = nodes.Where(n => n.Online).ToList();
        var totals = new ListenerStatsTotals(
            Sum(online, n => n.CurrentConnections),
            Sum(online, n => n.TotalConnections),
            Sum(online, n => n.BytesIn),
            Sum(online, n => n.BytesOut),
            Sum(online, n => n.Http5xx));
        return TypedResults.Ok(new ListenerStatsResponse(listener.Id, totals, nodes));
    }

    /// <summary>Counters are reported up to long.MaxValue each; a total stops there rather than wrapping negative.</summary>
    private static long Sum(IEnumerable<ListenerNodeStats> nodes, Func<ListenerNodeStats, long> counter) =>
        nodes.Aggregate(0L, (total, n) => total > long.MaxValue - counter(n) ? long.MaxValue : total + counter(n));
}
