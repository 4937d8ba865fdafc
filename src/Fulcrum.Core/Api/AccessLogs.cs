namespace Fulcrum.Core.Api;

/// <summary>
/// One connection (tcp) or request (http, https) of a listener, as a node logged it: a line of the node's
/// access-log file (JSON lines), of a heartbeat, and of <c>GET /api/v1/listeners/{id}/access-log</c>. Fields that do not
/// apply to the listener's protocol, or that the session never reached (no backend chosen, no response), are left out.
/// </summary>
/// <param name="Time">When the node accepted the connection (UTC, to the millisecond).</param>
/// <param name="ListenerId">The listener that accepted it.</param>
/// <param name="Protocol">The listener's protocol.</param>
/// <param name="ClientAddress">The client's IP address as the node saw it.</param>
/// <param name="ClientPort">The client's source port.</param>
/// <param name="BackendGroupId">The backend group the connection was sent to.</param>
/// <param name="BackendId">The backend that served it.</param>
/// <param name="Status">The HTTP status sent to the client (http, https).</param>
/// <param name="BytesIn">Bytes received from the client.</param>
/// <param name="BytesOut">Bytes sent to the client.</param>
/// <param name="RequestMs">Time to receive the whole request head (http, https).</param>
/// <param name="QueueMs">Time spent waiting in queues for a free backend connection slot.</param>
/// <param name="ConnectMs">Time to connect to the backend.</param>
/// <param name="ResponseMs">Time the backend took to send its response head (http, https).</param>
/// <param name="TotalMs">
/// The whole session (tcp) or the request from its first byte to the last byte of the response (http, https).
/// </param>
/// <param name="TerminationState">haproxy's termination state: how the session ended; <c>--</c> (tcp) or <c>----</c> (http, https) when it ended normally.</param>
/// <param name="Method">The request's method (http, https).</param>
/// <param name="Uri">The request's URI as the client sent it, path and query (http, https).</param>
public sealed record AccessLogEntry(
    DateTimeOffset Time,
    string ListenerId,
    ListenerProtocol Protocol,
    string ClientAddress,
    int ClientPort,
    string? BackendGroupId = null,
    string? BackendId = null,
    int? Status = null,
    long? BytesIn = null,
    long? BytesOut = null,
    long? RequestMs = null,
    long? QueueMs = null,
    long? ConnectMs = null,
    long? ResponseMs = null,
    long? TotalMs = null,
    string? TerminationState = null,
    string? Method = null,
    string? Uri = null);

/// <summary>The newest access-log lines of one listener on the MASTER, oldest first, as a heartbeat carries them.</summary>
public sealed record ListenerAccessLog(string ListenerId, IReadOnlyList<AccessLogEntry> Lines);

/// <summary>The newest access-log lines the MASTER reported for a listener, oldest first.</summary>
public sealed record AccessLogResponse(string ListenerId, IReadOnlyList<AccessLogEntry> Lines);
