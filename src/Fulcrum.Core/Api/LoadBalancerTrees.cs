namespace Fulcrum.Core.Api;

/// <summary>
/// A load balancer with everything in it, created in one request, one transaction and one revision ("fully
/// populated", as Octavia calls it). Each part is its piecewise request without its parent's id; a listener or a rule
/// names its backend group by the group's name in the tree.
/// </summary>
public sealed record LoadBalancerTreeRequest(
    string? ProjectId,
    string? ClusterId,
    string? Name,
    string? Description,
    string? Vip,
    int? VipPrefixLength,
    bool? Enabled,
    IReadOnlyList<BackendGroupTreeRequest>? BackendGroups,
    IReadOnlyList<ListenerTreeRequest>? Listeners)
{
    public LoadBalancerRequest ToRequest() => new(ProjectId, ClusterId, Name, Description, Vip, VipPrefixLength, Enabled);
}

public sealed record BackendGroupTreeRequest(string? Name, string? Description, IReadOnlyList<BackendTreeRequest>? Backends)
{
    public BackendGroupRequest ToRequest(string loadBalancerId) => new(loadBalancerId, Name, Description);
}

public sealed record BackendTreeRequest(string? Name, string? Address, int? Port, int? Weight, bool? Backup, BackendAdminState? AdminState)
{
    public static BackendTreeRequest From(BackendRequest backend) =>
        new(backend.Name, backend.Address, backend.Port, backend.Weight, backend.Backup, backend.AdminState);

    public BackendRequest ToRequest(string backendGroupId) => new(backendGroupId, Name, Address, Port, Weight, Backup, AdminState);
}

public sealed record ListenerTreeRequest(
    string? Name,
    string? Description,
    ListenerProtocol? Protocol,
    int? Port,
    string? DefaultBackendGroup,
    Scheduler? Scheduler,
    int? ConnectionLimit,
    TimeoutSpec? Timeouts,
    HealthCheckSpec? HealthCheck,
    StickySessionSpec? StickySession,
    bool? ForwardedHeaders,
    bool? Gzip,
    bool? Http2,
    bool? RedirectToHttps,
    TlsSpec? Tls,
    AclBinding? Acl,
    ProxyProtocol? ProxyProtocol,
    bool? Enabled,
    IReadOnlyList<RuleTreeRequest>? Rules,
    bool? AccessLog = null)
{
    /// <summary>A piecewise listener request as a part of a tree, its default backend group named.</summary>
    public static ListenerTreeRequest From(ListenerRequest listener, string? defaultBackendGroup, IReadOnlyList<RuleTreeRequest>? rules = null) => new(
        listener.Name, listener.Description, listener.Protocol, listener.Port, defaultBackendGroup, listener.Scheduler, listener.ConnectionLimit,
        listener.Timeouts, listener.HealthCheck, listener.StickySession, listener.ForwardedHeaders, listener.Gzip, listener.Http2,
        listener.RedirectToHttps, listener.Tls, listener.Acl, listener.ProxyProtocol, listener.Enabled, rules, listener.AccessLog);

    public ListenerRequest ToRequest(string loadBalancerId, string? defaultBackendGroupId) => new(
        loadBalancerId, Name, Description, Protocol, Port, defaultBackendGroupId, Scheduler, ConnectionLimit, Timeouts, HealthCheck,
        StickySession, ForwardedHeaders, Gzip, Http2, RedirectToHttps, Tls, Acl, ProxyProtocol, Enabled, AccessLog);
}

public sealed record RuleTreeRequest(string? Name, string? Description, int? Position, RuleMatch? Match, RuleTreeAction? Action, bool? Enabled)
{
    public RuleRequest ToRequest(string listenerId, string? backendGroupId) =>
        new(listenerId, Name, Description, Position, Match, Action is null ? null : Action.ToAction(backendGroupId), Enabled);
}

/// <summary>A rule's action, forwarding to a backend group named in the tree.</summary>
public sealed record RuleTreeAction(
    RuleActionType? Type,
    string? BackendGroup,
    RedirectSpec? Redirect,
    int? StatusCode,
    FixedResponseSpec? FixedResponse = null,
    IReadOnlyList<HeaderChange>? RequestHeaders = null,
    IReadOnlyList<HeaderChange>? ResponseHeaders = null)
{
    public RuleAction ToAction(string? backendGroupId) =>
        new(Type, backendGroupId, Redirect, StatusCode, FixedResponse, RequestHeaders, ResponseHeaders);
}

/// <summary>A load balancer as it is stored, with its backend groups (and their backends) and listeners (and their rules).</summary>
public sealed record LoadBalancerTreeResponse(
    LoadBalancerResponse LoadBalancer,
    IReadOnlyList<BackendGroupTreeResponse> BackendGroups,
    IReadOnlyList<ListenerTreeResponse> Listeners);

public sealed record BackendGroupTreeResponse(BackendGroupResponse BackendGroup, IReadOnlyList<BackendResponse> Backends);

public sealed record ListenerTreeResponse(ListenerResponse Listener, IReadOnlyList<RuleResponse> Rules);

/// <summary>
/// A load balancer's status as a tree, like Octavia's status tree: listeners, their rules, the backend groups they send
/// to (the default group first) and the backends. Every part shares its load balancer's provisioning status (the nodes
/// apply a load balancer as a whole); operating statuses are derived from the backends' health as the load balancer's
/// is. A backend's health is the MASTER node's report.
/// </summary>
/// <param name="UnusedBackendGroups">Groups that no listener or rule sends to.</param>
public sealed record LoadBalancerStatusTree(
    string Id,
    string Name,
    ProvisioningStatus ProvisioningStatus,
    OperatingStatus OperatingStatus,
    string? Error,
    int OnlineNodes,
    int AppliedNodes,
    IReadOnlyList<ListenerStatusTree> Listeners,
    IReadOnlyList<BackendGroupStatusTree> UnusedBackendGroups);

public sealed record ListenerStatusTree(
    string Id,
    string Name,
    ListenerProtocol Protocol,
    int Port,
    ProvisioningStatus ProvisioningStatus,
    OperatingStatus OperatingStatus,
    IReadOnlyList<RuleStatusTree> Rules,
    IReadOnlyList<BackendGroupStatusTree> BackendGroups);

/// <param name="BackendGroupId">The group a forward rule sends to; listed under the listener's backend groups.</param>
public sealed record RuleStatusTree(
    string Id,
    string Name,
    int Position,
    RuleActionType Action,
    string? BackendGroupId,
    ProvisioningStatus ProvisioningStatus,
    OperatingStatus OperatingStatus);

public sealed record BackendGroupStatusTree(
    string Id,
    string Name,
    ProvisioningStatus ProvisioningStatus,
    OperatingStatus OperatingStatus,
    IReadOnlyList<BackendStatusTree> Backends);

public sealed record BackendStatusTree(
    string Id,
    string Name,
    string Address,
    int Port,
    BackendAdminState AdminState,
    BackendHealth Health,
    ProvisioningStatus ProvisioningStatus,
    OperatingStatus OperatingStatus);
