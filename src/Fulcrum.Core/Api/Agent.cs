using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// What <c>fulcrum-agent join</c> sends: the join token and the node's own facts. Without a priority the node gets
/// the highest free one of its cluster (100, 90, 80, ...).
/// </summary>
public sealed record AgentJoinRequest(string? Token, string? Name, string? Address, string? Interface, int? Priority, NodeVersions? Versions)
{
    public AgentJoinRequest Normalize(ValidationErrors errors)
    {
        var address = Grammar.IpAddress(errors, "address", Address)?.ToString();
        return new(
            Grammar.Required(errors, "token", Token),
            Grammar.Name(errors, "name", Name, required: false) ?? address,
            address,
            NodeGrammar.Interface(errors, "interface", Interface),
            Priority is null ? null : NodeGrammar.Priority(errors, "priority", Priority),
            Versions?.Normalize(errors, "versions"));
    }
}

/// <summary>The node credential is shown once; the agent keeps it in its state directory (mode 0600).</summary>
public sealed record AgentJoinResponse(string NodeId, string ClusterId, string Credential);

/// <summary>
/// What a node's agent reports with every heartbeat (<c>POST /api/v1/agent/heartbeat</c>, node credential as bearer
/// token). The long poll for work is <c>GET /api/v1/agent/snapshot?after={revision}&amp;waitSeconds={0-60, default 30}</c>:
/// 200 with the cluster's <see cref="Snapshots.ClusterSnapshot"/> (private keys included) as soon as the revision
/// passes <c>after</c>, or 204 when it has not moved within the wait. A report is the whole picture, or with
/// <see cref="Changes"/> only what changed since the node's previous reports; the server answers
/// <see cref="HeartbeatResponse"/> (rules: <see cref="NodeReports"/>).
/// </summary>
/// <param name="AppliedRevision">The revision the node serves.</param>
/// <param name="LastError">The validator's message for the last revision that failed to apply, if the node still serves an older one.</param>
/// <param name="LastErrorRevision">The revision <paramref name="LastError"/> is about.</param>
/// <param name="LastErrorRetried">
/// <paramref name="LastError"/> is a transient failure (a reload that timed out, a socket that did not answer), not a
/// refusal of the revision: the node tries it again until it applies, and its load balancers stay PENDING meanwhile.
/// </param>
/// <param name="Backends">Every backend the node checks. Only the MASTER's report counts while a MASTER is online; backends of the cluster left out are shown UNKNOWN.</param>
/// <param name="Listeners">Every listener the node serves; the node's counters of listeners left out are dropped.</param>
/// <param name="Restarts">The data-plane programs the agent found dead and started again since it started itself, one entry per program at most; none is the same as an empty list.</param>
/// <param name="Changes">
/// When true, <paramref name="Backends"/> and <paramref name="Listeners"/> hold only what changed since the node's
/// earlier reports (a backend the node no longer checks as UNKNOWN), and nothing left out changes; counters of
/// listeners the node stopped serving are in <paramref name="StoppedListeners"/>. A node with more entries than one
/// report may hold (<see cref="NodeReports.MaxEntries"/>) sends its whole picture as a whole report followed by
/// reports of changes, at once.
/// </param>
/// <param name="StoppedListeners">With <paramref name="Changes"/>: listeners whose counters on this node are dropped.</param>
/// <param name="LoadBalancerErrors">
/// The load balancers the node could not serve as desired at <paramref name="AppliedRevision"/> (a validator or a reload
/// refused them), each with the tool's message; the node serves every other one. Omitted: none.
/// </param>
/// <param name="AccessLogs">
/// From the MASTER: the newest access-log lines of its listeners since its last heartbeat the server took, at most
/// <see cref="NodeReports.MaxAccessLogLines"/> a listener. Omitted: none.
/// </param>
public sealed record NodeReport(
    long AppliedRevision,
    string? LastError,
    long? LastErrorRevision,
    VrrpState VrrpState,
    NodeVersions Versions,
    IReadOnlyList<BackendHealthReport> Backends,
    IReadOnlyList<ListenerCounters> Listeners,
    IReadOnlyList<ProcessRestarts>? Restarts = null,
    bool Changes = false,
    IReadOnlyList<string>? StoppedListeners = null,
    IReadOnlyList<LoadBalancerApplyError>? LoadBalancerErrors = null,
    bool LastErrorRetried = false,
    IReadOnlyList<ListenerAccessLog>? AccessLogs = null);

/// <summary>The server's answer to a heartbeat.</summary>
/// <param name="WholeReportWanted">
/// The server cannot take this node's changes for backend health (it now speaks for the cluster's health, and the
/// health shown is another node's): the node sends its whole picture next.
/// </param>
public sealed record HeartbeatResponse(bool WholeReportWanted);

/// <summary>How often the agent restarted one data-plane program (haproxy, nginx or keepalived), and the last time why.</summary>
/// <param name="Tool">haproxy, nginx or keepalived.</param>
/// <param name="Count">Restarts since the agent started.</param>
/// <param name="LastReason">What the agent saw: the program's exit, and whether it came back.</param>
/// <param name="LastAt">When the agent saw the last exit.</param>
public sealed record ProcessRestarts(string Tool, int Count, string? LastReason, DateTimeOffset? LastAt);

/// <summary>
/// One load balancer a node serves at its last good version, or not at all, because its desired version was refused at
/// <paramref name="Revision"/>.
/// </summary>
public sealed record LoadBalancerApplyError(string LoadBalancerId, long Revision, string Error);

/// <summary>A backend's health as the node's checks see it (haproxy's for tcp/http/https, the agent's own for udp).</summary>
public sealed record BackendHealthReport(string BackendId, BackendHealth Health);

/// <summary>Counters of one listener on one node, since its data-plane process started.</summary>
/// <param name="Responses">HTTP responses sent, by status class; omitted for a listener that does not speak HTTP.</param>
public sealed record ListenerCounters(
    string ListenerId, long CurrentConnections, long TotalConnections, long BytesIn, long BytesOut, HttpResponseCounts? Responses = null);

/// <summary>HTTP responses by status class (1xx to 5xx, and any other status), as haproxy counts them per frontend.</summary>
public sealed record HttpResponseCounts(long Informational, long Success, long Redirection, long ClientError, long ServerError, long Other)
{
    public static HttpResponseCounts Zero { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>Both added, class by class; saturating, since a node may report counters up to long.MaxValue.</summary>
    public HttpResponseCounts Plus(HttpResponseCounts? other) => other is null ? this : new(
        Add(Informational, other.Informational),
        Add(Success, other.Success),
        Add(Redirection, other.Redirection),
        Add(ClientError, other.ClientError),
        Add(ServerError, other.ServerError),
        Add(Other, other.Other));

    private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
