using System.Text.Json.Serialization;

namespace Fulcrum.Core.Api;

public enum Role
{
    Admin,
    Member,
    Viewer,
}

public enum ListenerProtocol
{
    Tcp,
    Udp,
    Http,
    Https,
}

public enum Scheduler
{
    RoundRobin,
    LeastConnections,
    SourceIp,
}

public enum HealthCheckType
{
    Tcp,
    Http,
    Udp,
}

public enum StickySessionType
{
    SourceIp,
    CookieInsert,
    AppCookie,
}

public enum AclMode
{
    Allow,
    Deny,
}

public enum ProxyProtocol
{
    None,
    V1,
    V2,
}

public enum TlsVersion
{
    [JsonStringEnumMemberName("TLSv1.0")]
    Tls10,
    [JsonStringEnumMemberName("TLSv1.1")]
    Tls11,
    [JsonStringEnumMemberName("TLSv1.2")]
    Tls12,
    [JsonStringEnumMemberName("TLSv1.3")]
    Tls13,
}

public enum PathMatch
{
    Prefix,
    Exact,
}

public enum RuleActionType
{
    Forward,
    Redirect,
    Reject,
    FixedResponse,
}

/// <summary>What a rule condition looks at.</summary>
public enum ConditionType
{
    Host,
    Path,
    Header,
    Cookie,
    Query,
    Method,
    Source,
}

/// <summary>How a condition's value is compared; see <see cref="Validation.SafeRegex"/> for the regex subset.</summary>
public enum ValueMatch
{
    Exact,
    Prefix,
    Suffix,
    Contains,
    Regex,
}

public enum HeaderOperation
{
    Set,
    Add,
    Remove,
}

public enum RedirectScheme
{
    Http,
    Https,
}

public enum BackendAdminState
{
    Enabled,
    Drain,
    Disabled,
}

public enum VrrpState
{
    [JsonStringEnumMemberName("UNKNOWN")]
    Unknown,
    [JsonStringEnumMemberName("MASTER")]
    Master,
    [JsonStringEnumMemberName("BACKUP")]
    Backup,
    [JsonStringEnumMemberName("FAULT")]
    Fault,
}

public enum ProvisioningStatus
{
    [JsonStringEnumMemberName("PENDING")]
    Pending,
    [JsonStringEnumMemberName("ACTIVE")]
    Active,
    [JsonStringEnumMemberName("ERROR")]
    Error,
}

public enum OperatingStatus
{
    [JsonStringEnumMemberName("ONLINE")]
    Online,
    [JsonStringEnumMemberName("DEGRADED")]
    Degraded,
    [JsonStringEnumMemberName("OFFLINE")]
    Offline,
    [JsonStringEnumMemberName("ERROR")]
    Error,
}

public enum BackendHealth
{
    [JsonStringEnumMemberName("UNKNOWN")]
    Unknown,
    [JsonStringEnumMemberName("UP")]
    Up,
    [JsonStringEnumMemberName("DOWN")]
    Down,
}
