using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Nodes;

/// <summary>An enrolled load balancer node. Its agent authenticates with the credential whose hash is kept here.</summary>
public sealed class Node : Resource, IWritable<NodeUpdateRequest>
{
    public required string ClusterId { get; init; }

    public required string Name { get; set; }

    public required string Address { get; set; }

    public required string Interface { get; set; }

    public int Priority { get; set; }

    public required string CredentialHash { get; init; }

    public VrrpState VrrpState { get; set; }

    public long AppliedRevision { get; set; }

    public DateTime? LastSeenAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>The revision the agent failed to apply, with <see cref="LastError"/>.</summary>
    public long? LastErrorRevision { get; set; }

    /// <summary>Whether <see cref="LastError"/> is a transient failure the agent retries: no load balancer's fault.</summary>
    public bool LastErrorRetried { get; set; }

    /// <summary>The load balancers the node could not serve as desired, as reported (JSON of <see cref="LoadBalancerApplyError"/>s); null: none.</summary>
    public string? LoadBalancerErrors { get; set; }

    public string? AgentVersion { get; set; }

    public string? HaproxyVersion { get; set; }

    public string? NginxVersion { get; set; }

    public string? KeepalivedVersion { get; set; }

    /// <summary>The data-plane programs the agent restarted, as its last heartbeat reported them.</summary>
    public IReadOnlyList<ProcessRestarts>? Restarts { get; set; }

    /// <summary>An admin put the node in maintenance: it holds no VIP until released.</summary>
    public bool Maintenance { get; set; }

    /// <param name="failoverTarget">The node a manual failover under way moves the VIPs to: every other node stands aside.</param>
    public SnapshotNode ToSnapshot(string? failoverTarget) =>
        new(Id, Address, Interface, Priority, Maintenance || (failoverTarget is not null && failoverTarget != Id) ? true : null);

    public object NodeView() => ToSnapshot(null);

    public NodeUpdateRequest ToRequest() => new(Name, Interface, Priority);

    public void Apply(NodeUpdateRequest spec)
    {
        Name = spec.Name!;
        Interface = spec.Interface!;
        Priority = spec.Priority!.Value;
    }

    public bool IsOnline(DateTime now, TimeSpan offlineAfter) => LastSeenAt is { } seen && now - seen.AsUtc() <= offlineAfter;

    /// <summary>An offline node's VRRP state is shown UNKNOWN: what it last said may no longer be true.</summary>
    public NodeResponse ToResponse(DateTime now, TimeSpan offlineAfter) => new(
        Id,
        ClusterId,
        Name,
        Address,
        Interface,
        Priority,
        IsOnline(now, offlineAfter) ? VrrpState : VrrpState.Unknown,
        AppliedRevision,
        IsOnline(now, offlineAfter),
        LastSeenAt?.AsUtc(),
        LastError,
        new NodeVersions(AgentVersion, HaproxyVersion, NginxVersion, KeepalivedVersion),
        CreatedAt.AsUtc(),
        UpdatedAt.AsUtc(),
        Restarts ?? [],
        LastError is not null && LastErrorRetried,
        Maintenance);
}
