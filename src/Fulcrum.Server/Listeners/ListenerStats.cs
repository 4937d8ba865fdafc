using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Listeners;

/// <summary>
/// One node's counters of one listener, as its last heartbeat reported them; replaced by every heartbeat and gone
/// with the node or the listener.
/// </summary>
public sealed class ListenerStats
{
    public required string NodeId { get; init; }

    public required string ListenerId { get; init; }

    public long CurrentConnections { get; set; }

    public long TotalConnections { get; set; }

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public long Http1xx { get; set; }

    public long Http2xx { get; set; }

    public long Http3xx { get; set; }

    public long Http4xx { get; set; }

    public long Http5xx { get; set; }

    public long HttpOther { get; set; }

    public DateTime ReportedAt { get; set; }

    public void Apply(ListenerCounters counters, DateTime now)
    {
        CurrentConnections = counters.CurrentConnections;
        TotalConnections = counters.TotalConnections;
        BytesIn = counters.BytesIn;
        BytesOut = counters.BytesOut;
        var responses = counters.Responses ?? HttpResponseCounts.Zero;
        Http1xx = responses.Informational;
        Http2xx = responses.Success;
        Http3xx = responses.Redirection;
        Http4xx = responses.ClientError;
        Http5xx = responses.ServerError;
        HttpOther = responses.Other;
        ReportedAt = now;
    }

    public ListenerNodeStats ToResponse(bool online) =>
        new(NodeId, online, ReportedAt.AsUtc(), CurrentConnections, TotalConnections, BytesIn, BytesOut,
            new HttpResponseCounts(Http1xx, Http2xx, Http3xx, Http4xx, Http5xx, HttpOther));
}
