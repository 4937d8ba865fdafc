using System.Net;
using Fulcrum.Core.Api;

namespace Fulcrum.Agent.Processes;

/// <summary>
/// What the agent asks of a node's data plane. <see cref="Dataplane"/> drives the real haproxy, nginx and keepalived;
/// the agent's tests drive a fake, so that the apply pipeline and the reconcile loop are tested without root.
/// </summary>
public interface IDataplane
{
    /// <summary>Prepares the node for serving (VIPs it does not hold may be bound) and reports the tools' versions.</summary>
    Task<NodeVersions> PrepareNodeAsync(CancellationToken ct);

    /// <summary>
    /// The verdict of the validators of <paramref name="tools"/> on a staged generation: null when each of them accepts
    /// it, else their messages. A tool left out is one whose files equal those it serves, or (haproxy) differ from them
    /// only in values the runtime API sets.
    /// </summary>
    Task<string?> ValidateAsync(string generation, ToolChanges tools, CancellationToken ct);

    /// <summary>
    /// Starts what is not running and reloads what changed, on the generation <c>current</c> points at. A tool that
    /// refuses the generation throws <see cref="DataplaneException"/>; anything else thrown is transient (a tool not
    /// answering, a reload not confirmed in time).
    /// </summary>
    Task ApplyAsync(ToolChanges changes, CancellationToken ct);

    /// <summary>
    /// Drops, unanswered, the SYNs of new TCP connections to <paramref name="vips"/> (and only to them): connections
    /// open go on. An empty list lifts the hold. False when the node cannot hold them (no packet filter).
    /// </summary>
    Task<bool> HoldNewConnectionsAsync(IReadOnlyList<IPAddress> vips, CancellationToken ct);
}
