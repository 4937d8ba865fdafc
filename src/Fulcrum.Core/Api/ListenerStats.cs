namespace Fulcrum.Core.Api;

/// <summary>
/// A listener's counters as its nodes last reported them (<c>GET /api/v1/listeners/{id}/stats</c>). Counters run
/// since each node's data-plane process started. <see cref="Totals"/> add up the nodes that are online now: an
/// offline node's numbers are stale.
/// </summary>
public sealed record ListenerStatsResponse(string ListenerId, ListenerStatsTotals Totals, IReadOnlyList<ListenerNodeStats> Nodes);

/// <param name="Responses">HTTP responses by class; zero for a listener that does not speak HTTP.</param>
public sealed record ListenerStatsTotals(long CurrentConnections, long TotalConnections, long BytesIn, long BytesOut, HttpResponseCounts Responses);

public sealed record ListenerNodeStats(
    string NodeId,
    bool Online,
    DateTimeOffset ReportedAt,
    long CurrentConnections,
    long TotalConnections,
    long BytesIn,
    long BytesOut,
    HttpResponseCounts Responses);
