using Fulcrum.Core.Api;

namespace Fulcrum.Core.Snapshots;

/// <summary>
/// The whole desired state of one cluster at one revision: what every node of the cluster renders and serves.
/// It holds ids and validated values only; names and descriptions, being display text, never reach a node.
/// <see cref="BackendAllowedRanges"/> carries the cluster's exceptions to the backend address policy, which the
/// renderers apply again.
/// </summary>
public sealed record ClusterSnapshot(
    string ClusterId,
    long Revision,
    VrrpSpec Vrrp,
    IReadOnlyList<SnapshotNode> Nodes,
    IReadOnlyList<SnapshotLoadBalancer> LoadBalancers,
    IReadOnlyList<SnapshotCertificate> Certificates,
    IReadOnlyList<SnapshotAcl> Acls,
    IReadOnlyList<string>? BackendAllowedRanges = null);

/// <param name="Standby">
/// True when the node must not hold the VIPs now: it is in maintenance, or a manual failover to another node is under
/// way. The agent tells keepalived through a file, so that the VIPs move without a reload. Left out when false, which
/// an agent that predates it reads as it always did.
/// </param>
public sealed record SnapshotNode(string Id, string Address, string Interface, int Priority, bool? Standby = null);

public sealed record SnapshotLoadBalancer(
    string Id,
    string Vip,
    int VipPrefixLength,
    bool Enabled,
    IReadOnlyList<SnapshotListener> Listeners,
    IReadOnlyList<SnapshotBackendGroup> BackendGroups);

/// <param name="AccessLog">
/// True when the nodes log the listener's traffic (see <see cref="ListenerRequest.AccessLog"/>). Left out when false,
/// which an agent that predates it reads as it always did.
/// </param>
public sealed record SnapshotListener(
    string Id,
    ListenerProtocol Protocol,
    int Port,
    string? DefaultBackendGroupId,
    Scheduler Scheduler,
    int? ConnectionLimit,
    TimeoutSpec Timeouts,
    HealthCheckSpec? HealthCheck,
    StickySessionSpec? StickySession,
    bool ForwardedHeaders,
    bool Gzip,
    bool Http2,
    bool RedirectToHttps,
    TlsSpec? Tls,
    AclBinding? Acl,
    ProxyProtocol ProxyProtocol,
    bool Enabled,
    IReadOnlyList<SnapshotRule> Rules,
    bool? AccessLog = null);

/// <summary>Rules in evaluation order.</summary>
public sealed record SnapshotRule(string Id, RuleMatch Match, RuleAction Action, bool Enabled);

public sealed record SnapshotBackendGroup(string Id, IReadOnlyList<SnapshotBackend> Backends);

public sealed record SnapshotBackend(string Id, string Address, int Port, int Weight, bool Backup, BackendAdminState AdminState);

/// <summary>
/// A certificate chain for a node. <see cref="PrivateKeyPem"/> travels only on the agent channel; the admin view of a
/// snapshot leaves it out.
/// </summary>
public sealed record SnapshotCertificate(string Id, string ChainPem, string? PrivateKeyPem);

public sealed record SnapshotAcl(string Id, IReadOnlyList<string> Cidrs);
