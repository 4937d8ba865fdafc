using Fulcrum.Core.Api;

namespace Fulcrum.Cli.Resources;

/// <summary>Every resource the CLI manages, with a flag for each field of its request.</summary>
public static class Kinds
{
    private static readonly Field Project = new("--project", "projectId", FieldType.Reference, "The project (name or id).", "project");
    private static readonly Field Cluster = new("--cluster", "clusterId", FieldType.Reference, "The cluster (name or id).", "cluster");
    private static readonly Field LoadBalancerRef = new("--load-balancer", "loadBalancerId", FieldType.Reference, "The load balancer (name or id).", "lb");
    private static readonly Field ListenerRef = new("--listener", "listenerId", FieldType.Reference, "The listener (name or id).", "listener");
    private static readonly Field GroupRef = new("--backend-group", "backendGroupId", FieldType.Reference, "The backend group (name or id).", "backend-group");
    private static readonly Field Name = new("--name", "name", FieldType.String, "The name.");
    private static readonly Field Description = new("--description", "description", FieldType.String, "A description.");

    public static readonly ResourceKind ClusterKind = new(
        "cluster", "cluster", ["clusters"], "clusters", typeof(ClusterRequest),
        [
            Name, Description,
            new("--virtual-router-id", "vrrp.virtualRouterId", FieldType.Int, "VRRP virtual router id (1-255), unique on the nodes' network."),
            new("--advert-interval-ms", "vrrp.advertIntervalMs", FieldType.Int, "VRRP advertisement interval (multiple of 10 ms)."),
            new("--preempt", "vrrp.preempt", FieldType.Bool, "A higher-priority node takes the VIPs back when it returns."),
            new("--unicast", "vrrp.unicast", FieldType.Bool, "VRRP adverts to the peers' addresses rather than multicast."),
            new("--vip-pool", "vipPools", FieldType.StringList, "A VIP range (CIDR or a-b); repeat for several."),
            new("--vip-prefix-length", "vipPrefixLengths", FieldType.IntList, "A prefix length a VIP may carry; repeat for several."),
            new("--backend-allowed-range", "backendAllowedRanges", FieldType.StringList, "A range where backends may be although otherwise refused; repeat for several."),
        ],
        [new("ID", "id"), new("NAME", "name"), new("VRID", "vrrp.virtualRouterId"), new("VIP POOLS", "vipPools"), new("REVISION", "revision"), new("MASTERS", "masters")]);

    public static readonly ResourceKind JoinToken = new(
        "join-token", "join token", ["join-tokens", "jt"], "join-tokens", typeof(JoinTokenRequest),
        [
            Cluster, Description,
            new("--ttl-seconds", "ttlSeconds", FieldType.Int, "How long the token is valid."),
            new("--max-uses", "maxUses", FieldType.Int, "How many nodes may join with it."),
        ],
        [new("ID", "id"), new("CLUSTER", "clusterId"), new("DESCRIPTION", "description"), new("USES", "uses"), new("MAX", "maxUses"), new("EXPIRES", "expiresAt"), new("REVOKED", "revokedAt")],
        Parent: Cluster, CanUpdate: false);

    public static readonly ResourceKind Node = new(
        "node", "node", ["nodes"], "nodes", typeof(NodeUpdateRequest),
        [
            Name,
            new("--interface", "interface", FieldType.String, "The interface the VIPs go on."),
            new("--priority", "priority", FieldType.Int, "VRRP priority, unique in the cluster."),
        ],
        [new("ID", "id"), new("NAME", "name"), new("CLUSTER", "clusterId"), new("ADDRESS", "address"), new("PRIORITY", "priority"), new("VRRP", "vrrpState"), new("REVISION", "appliedRevision"), new("ONLINE", "online")],
        Parent: Cluster, CanCreate: false);

    public static readonly ResourceKind LoadBalancer = new(
        "lb", "load balancer", ["load-balancer", "load-balancers", "lbs"], "load-balancers", typeof(LoadBalancerRequest),
        [
            Project, Cluster, Name, Description,
            new("--vip", "vip", FieldType.String, "The VIP (default: the next free address of the cluster's pools)."),
            new("--vip-prefix-length", "vipPrefixLength", FieldType.Int, "The VIP's prefix length."),
            new("--enabled", "enabled", FieldType.Bool, "Serve traffic."),
        ],
        [new("ID", "id"), new("NAME", "name"), new("VIP", "vip"), new("PROVISIONING", "provisioningStatus"), new("OPERATING", "operatingStatus"), new("ENABLED", "enabled")],
        Parent: Project);

    public static readonly ResourceKind Listener = new(
        "listener", "listener", ["listeners"], "listeners", typeof(ListenerRequest),
        [
            LoadBalancerRef, Name, Description,
            new("--protocol", "protocol", FieldType.Enum, "The protocol.", Enum: typeof(ListenerProtocol)),
            new("--port", "port", FieldType.Int, "The port on the VIP."),
            new("--default-backend-group", "defaultBackendGroupId", FieldType.Reference, "Where traffic goes that no rule takes (name or id).", "backend-group"),
            new("--scheduler", "scheduler", FieldType.Enum, "How backends are picked.", Enum: typeof(Scheduler)),
            new("--connection-limit", "connectionLimit", FieldType.Int, "Most concurrent connections."),
            new("--connect-timeout-ms", "timeouts.connectMs", FieldType.Int, "Timeout connecting to a backend."),
            new("--client-timeout-ms", "timeouts.clientMs", FieldType.Int, "Idle timeout on the client side."),
            new("--server-timeout-ms", "timeouts.serverMs", FieldType.Int, "Idle timeout on the backend side."),
            new("--health-check", "healthCheck.type", FieldType.Enum, "Health check type.", Enum: typeof(HealthCheckType)),
            new("--health-interval-ms", "healthCheck.intervalMs", FieldType.Int, "Time between two checks."),
            new("--health-timeout-ms", "healthCheck.timeoutMs", FieldType.Int, "Time a check may take."),
            new("--health-rise", "healthCheck.rise", FieldType.Int, "Passed checks before a backend is up."),
            new("--health-fall", "healthCheck.fall", FieldType.Int, "Failed checks before a backend is down."),
            new("--health-http-method", "healthCheck.http.method", FieldType.String, "HTTP check method."),
            new("--health-http-path", "healthCheck.http.path", FieldType.String, "HTTP check path."),
            new("--health-http-host", "healthCheck.http.host", FieldType.String, "HTTP check Host header."),
            new("--health-http-expected-codes", "healthCheck.http.expectedCodes", FieldType.String, "HTTP codes that pass (200-399, 200,204)."),
            new("--health-udp-send", "healthCheck.udp.send", FieldType.String, "UDP check payload."),
            new("--health-udp-expect", "healthCheck.udp.expect", FieldType.String, "UDP check expected answer."),
            new("--sticky-session", "stickySession.type", FieldType.Enum, "Session persistence.", Enum: typeof(StickySessionType)),
            new("--sticky-cookie-name", "stickySession.cookieName", FieldType.String, "Cookie of the session persistence."),
            new("--sticky-timeout-ms", "stickySession.timeoutMs", FieldType.Int, "How long a session sticks."),
            new("--forwarded-headers", "forwardedHeaders", FieldType.Bool, "Add X-Forwarded-For and friends."),
            new("--gzip", "gzip", FieldType.Bool, "Compress responses."),
            new("--http2", "http2", FieldType.Bool, "Offer HTTP/2."),
            new("--redirect-to-https", "redirectToHttps", FieldType.Bool, "Answer every request with a redirect to https."),
            new("--certificate", "tls.certificateId", FieldType.Reference, "The TLS certificate (name or id).", "certificate"),
            new("--sni-certificate", "tls.sniCertificateIds", FieldType.ReferenceList, "A further certificate picked by SNI; repeat for several.", "certificate"),
            new("--tls-min-version", "tls.minVersion", FieldType.Enum, "Oldest TLS version accepted.", Enum: typeof(TlsVersion)),
            new("--acl", "acl.aclId", FieldType.Reference, "The ACL (name or id).", "acl"),
            new("--acl-mode", "acl.mode", FieldType.Enum, "Whether the ACL allows or denies.", Enum: typeof(AclMode)),
            new("--proxy-protocol", "proxyProtocol", FieldType.Enum, "PROXY protocol towards the backends.", Enum: typeof(ProxyProtocol)),
            new("--enabled", "enabled", FieldType.Bool, "Serve traffic."),
            new("--access-log", "accessLog", FieldType.Bool, "Log every connection or request on the nodes (see fulcrum logs listener)."),
        ],
        [new("ID", "id"), new("NAME", "name"), new("PROTOCOL", "protocol"), new("PORT", "port"), new("DEFAULT GROUP", "defaultBackendGroupId"), new("ENABLED", "enabled")],
        Parent: LoadBalancerRef);

    public static readonly ResourceKind Rule = new(
        "rule", "rule", ["rules"], "rules", typeof(RuleRequest),
        [
            ListenerRef, Name, Description,
            new("--position", "position", FieldType.Int, "Order among the listener's rules (lowest first)."),
            new("--host", "match.host", FieldType.String, "Host to match."),
            new("--path", "match.path", FieldType.String, "Path to match."),
            new("--path-match", "match.pathMatch", FieldType.Enum, "How the path matches.", Enum: typeof(PathMatch)),
            new("--when", "match.conditions", FieldType.Conditions, "A condition, all ANDed: [!]TYPE[:NAME]OP VALUE, OP = ^= $= *= ~= (e.g. header:X-Env=canary, !path^=/public/); repeat for several."),
            new("--action", "action.type", FieldType.Enum, "What the rule does.", Enum: typeof(RuleActionType)),
            new("--backend-group", "action.backendGroupId", FieldType.Reference, "Where a forward goes (name or id).", "backend-group"),
            new("--redirect-scheme", "action.redirect.scheme", FieldType.Enum, "Redirect scheme.", Enum: typeof(RedirectScheme)),
            new("--redirect-host", "action.redirect.host", FieldType.String, "Redirect host."),
            new("--redirect-port", "action.redirect.port", FieldType.Int, "Redirect port."),
            new("--redirect-path", "action.redirect.path", FieldType.String, "Redirect path."),
            new("--redirect-code", "action.redirect.code", FieldType.Int, "Redirect status code."),
            new("--redirect-prefix", "action.redirect.prefix", FieldType.String, "Redirect to this scheme://host[:port] followed by the request's path and query."),
            new("--redirect-url", "action.redirect.url", FieldType.String, "Redirect to this whole URL."),
            new("--status-code", "action.statusCode", FieldType.Int, "Status code of a reject."),
            new("--fixed-status", "action.fixedResponse.statusCode", FieldType.Int, "Status code of a fixed response."),
            new("--fixed-content-type", "action.fixedResponse.contentType", FieldType.String, "Content type of a fixed response (default text/plain)."),
            new("--fixed-body", "action.fixedResponse.body", FieldType.String, "Body of a fixed response (at most 1 KiB)."),
            new("--request-header", "action.requestHeaders", FieldType.HeaderChanges, "A change to the request a forward sends: set:NAME=VALUE, add:NAME=VALUE or remove:NAME; repeat for several."),
            new("--response-header", "action.responseHeaders", FieldType.HeaderChanges, "A change to the response: set:NAME=VALUE, add:NAME=VALUE or remove:NAME; repeat for several."),
            new("--enabled", "enabled", FieldType.Bool, "Apply the rule."),
        ],
        [new("ID", "id"), new("NAME", "name"), new("POSITION", "position"), new("HOST", "match.host"), new("PATH", "match.path"), new("ACTION", "action.type"), new("ENABLED", "enabled")],
        Parent: ListenerRef);

    public static readonly ResourceKind BackendGroup = new(
        "backend-group", "backend group", ["backend-groups", "group", "groups"], "backend-groups", typeof(BackendGroupRequest),
        [LoadBalancerRef, Name, Description],
        [new("ID", "id"), new("NAME", "name"), new("LOAD BALANCER", "loadBalancerId"), new("DESCRIPTION", "description")],
        Parent: LoadBalancerRef);

    public static readonly ResourceKind Backend = new(
        "backend", "backend", ["backends"], "backends", typeof(BackendRequest),
        [
            GroupRef, Name,
            new("--address", "address", FieldType.String, "The backend's IP address."),
            new("--port", "port", FieldType.Int, "The backend's port."),
            new("--weight", "weight", FieldType.Int, "Share of new connections (0-256)."),
            new("--backup", "backup", FieldType.Bool, "Serve only while every other backend is down."),
            new("--admin-state", "adminState", FieldType.Enum, "enabled, drain or disabled.", Enum: typeof(BackendAdminState)),
        ],
        [new("ID", "id"), new("NAME", "name"), new("ADDRESS", "address"), new("PORT", "port"), new("WEIGHT", "weight"), new("STATE", "adminState"), new("HEALTH", "health")],
        Parent: GroupRef);

    public static readonly ResourceKind Certificate = new(
        "certificate", "certificate", ["certificates", "cert", "certs"], "certificates", typeof(CertificateRequest),
        [
            Project, Name, Description,
            new("--cert-file", "certificatePem", FieldType.File, "PEM certificate chain, leaf first."),
            new("--key-file", "privateKeyPem", FieldType.File, "PEM private key (sent once, never shown)."),
        ],
        [new("ID", "id"), new("NAME", "name"), new("SUBJECT", "subject"), new("NOT AFTER", "notAfter"), new("FINGERPRINT", "fingerprintSha256")],
        Parent: Project);

    public static readonly ResourceKind Acl = new(
        "acl", "ACL", ["acls"], "acls", typeof(AclRequest),
        [
            Project, Name, Description,
            new("--entry", "entries", FieldType.AclEntries, "A CIDR, or CIDR=comment; repeat for several (replaces the list)."),
        ],
        [new("ID", "id"), new("NAME", "name"), new("ENTRIES", "entries.length"), new("DESCRIPTION", "description")],
        Parent: Project);

    public static readonly ResourceKind ProjectKind = new(
        "project", "project", ["projects"], "projects", typeof(ProjectRequest),
        [
            Name, Description,
            new("--quota-load-balancers", "quotas.loadBalancers", FieldType.Int, "Most load balancers."),
            new("--quota-listeners", "quotas.listeners", FieldType.Int, "Most listeners."),
            new("--quota-backends", "quotas.backends", FieldType.Int, "Most backends."),
            new("--quota-certificates", "quotas.certificates", FieldType.Int, "Most certificates."),
            new("--quota-acl-entries", "quotas.aclEntries", FieldType.Int, "Most ACL entries."),
        ],
        [new("ID", "id"), new("NAME", "name"), new("DESCRIPTION", "description")]);

    public static readonly ResourceKind Token = new(
        "token", "token", ["tokens"], "tokens", typeof(TokenRequest),
        [
            Name,
            new("--role", "role", FieldType.Enum, "What the token may do.", Enum: typeof(Role)),
            new("--project", "projectId", FieldType.Reference, "The project a member or viewer token is bound to (name or id).", "project"),
            new("--expires-at", "expiresAt", FieldType.String, "When the token stops working (ISO 8601)."),
        ],
        [new("ID", "id"), new("NAME", "name"), new("ROLE", "role"), new("PROJECT", "projectId"), new("EXPIRES", "expiresAt"), new("LAST USED", "lastUsedAt")]);

    public static IReadOnlyList<ResourceKind> All { get; } =
        [ClusterKind, JoinToken, Node, LoadBalancer, Listener, Rule, BackendGroup, Backend, Certificate, Acl, ProjectKind, Token];

    public static ResourceKind ByName(string name) => All.Single(k => k.Name == name);
}
