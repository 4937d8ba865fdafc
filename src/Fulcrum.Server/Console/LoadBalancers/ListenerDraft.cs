using Fulcrum.Core.Api;

namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>
/// The listener settings the console's forms show: the create flow's listener step, and the form that adds or edits
/// a listener on a load balancer's page. What the form does not show (a description, the health check's method and
/// host, the cookie's name, SNI certificates, whether it is enabled...) is kept as the listener had it, so an edit
/// changes only what the operator saw.
/// </summary>
public sealed class ListenerDraft
{
    private static readonly ListenerRequest Nothing = new(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    private readonly ListenerRequest _kept;

    public ListenerDraft()
        : this(Nothing)
    {
    }

    private ListenerDraft(ListenerRequest kept) => _kept = kept;

    public string Name { get; set; } = "web";

    public ListenerProtocol Protocol { get; set; } = ListenerProtocol.Http;

    public int? Port { get; set; } = 80;

    public string? DefaultBackendGroupId { get; set; }

    public Scheduler Scheduler { get; set; } = Scheduler.RoundRobin;

    public int? ConnectionLimit { get; set; }

    public int? ConnectMs { get; set; } = 5_000;

    public int? ClientMs { get; set; } = 50_000;

    public int? ServerMs { get; set; } = 50_000;

    /// <summary>Null: no health check, every backend is taken as up.</summary>
    public HealthCheckType? HealthCheck { get; set; } = HealthCheckType.Http;

    public int? IntervalMs { get; set; } = 2_000;

    public int? Rise { get; set; } = 2;

    public int? Fall { get; set; } = 3;

    public string HealthPath { get; set; } = "/";

    public string ExpectedCodes { get; set; } = "200-399";

    /// <summary>Null: no stickiness.</summary>
    public StickySessionType? Stickiness { get; set; }

    public string? CertificateId { get; set; }

    public string? AclId { get; set; }

    public AclMode AclMode { get; set; } = AclMode.Allow;

    public bool ForwardedHeaders { get; set; } = true;

    public ProxyProtocol ProxyProtocol { get; set; } = ProxyProtocol.None;

    public bool Gzip { get; set; }

    public bool Http2 { get; set; }

    public bool RedirectToHttps { get; set; }

    public bool AccessLog { get; set; }

    public bool IsHttp => Protocol is ListenerProtocol.Http or ListenerProtocol.Https;

    /// <summary>The draft of an existing listener, for its edit form.</summary>
    public static ListenerDraft From(ListenerResponse listener) => new(new ListenerRequest(
        listener.LoadBalancerId, listener.Name, listener.Description, listener.Protocol, listener.Port, listener.DefaultBackendGroupId,
        listener.Scheduler, listener.ConnectionLimit, listener.Timeouts, listener.HealthCheck, listener.StickySession, listener.ForwardedHeaders,
        listener.Gzip, listener.Http2, listener.RedirectToHttps, listener.Tls, listener.Acl, listener.ProxyProtocol, listener.Enabled, listener.AccessLog))
    {
        Name = listener.Name,
        Protocol = listener.Protocol,
        Port = listener.Port,
        DefaultBackendGroupId = listener.DefaultBackendGroupId,
        Scheduler = listener.Scheduler,
        ConnectionLimit = listener.ConnectionLimit,
        ConnectMs = listener.Timeouts.ConnectMs,
        ClientMs = listener.Timeouts.ClientMs,
        ServerMs = listener.Timeouts.ServerMs,
        HealthCheck = listener.HealthCheck?.Type,
        IntervalMs = listener.HealthCheck?.IntervalMs ?? 2_000,
        Rise = listener.HealthCheck?.Rise ?? 2,
        Fall = listener.HealthCheck?.Fall ?? 3,
        HealthPath = listener.HealthCheck?.Http?.Path ?? "/",
        ExpectedCodes = listener.HealthCheck?.Http?.ExpectedCodes ?? "200-399",
        Stickiness = listener.StickySession?.Type,
        CertificateId = listener.Tls?.CertificateId,
        AclId = listener.Acl?.AclId,
        AclMode = listener.Acl?.Mode ?? AclMode.Allow,
        ForwardedHeaders = listener.ForwardedHeaders,
        ProxyProtocol = listener.ProxyProtocol,
        Gzip = listener.Gzip,
        Http2 = listener.Http2,
        RedirectToHttps = listener.RedirectToHttps,
        AccessLog = listener.AccessLog,
    };

    /// <summary>The listener, pointing at <paramref name="backendGroupId"/>; the options the protocol has no use for are left out.</summary>
    public ListenerRequest ToRequest(string loadBalancerId, string? backendGroupId) => _kept with
    {
        LoadBalancerId = loadBalancerId,
        Name = Name.Trim(),
        Protocol = Protocol,
        Port = Port,
        DefaultBackendGroupId = backendGroupId,
        Scheduler = Scheduler,
        ConnectionLimit = ConnectionLimit,
        Timeouts = new TimeoutSpec(ConnectMs, ClientMs, ServerMs),
        HealthCheck = HealthCheck is { } type ? HealthCheckOf(type) : null,
        StickySession = Stickiness is not { } sticky ? null
            : _kept.StickySession is { } kept && kept.Type == sticky ? kept
            : new StickySessionSpec(sticky, null, null),
        ForwardedHeaders = IsHttp ? ForwardedHeaders : null,
        Gzip = IsHttp ? Gzip : null,
        Http2 = Protocol == ListenerProtocol.Https ? Http2 : null,
        RedirectToHttps = Protocol == ListenerProtocol.Http ? RedirectToHttps : null,
        Tls = Protocol != ListenerProtocol.Https ? null
            : _kept.Tls is { } tls ? tls with { CertificateId = CertificateId }
            : new TlsSpec(CertificateId, null, null),
        Acl = AclId is null ? null : new AclBinding(AclMode, AclId),
        ProxyProtocol = Protocol == ListenerProtocol.Udp ? null : ProxyProtocol,
        AccessLog = Protocol == ListenerProtocol.Udp ? null : AccessLog,
    };

    private HealthCheckSpec HealthCheckOf(HealthCheckType type)
    {
        var kept = _kept.HealthCheck is { } check && check.Type == type ? check : new HealthCheckSpec(type, null, null, null, null, null, null);
        return kept with
        {
            IntervalMs = IntervalMs,
            Rise = Rise,
            Fall = Fall,
            Http = type != HealthCheckType.Http ? null
                : (kept.Http ?? new HttpCheckSpec(null, null, null, null)) with { Path = Blank(HealthPath), ExpectedCodes = Blank(ExpectedCodes) },
        };
    }

    private static string? Blank(string text) => text.Trim().Length == 0 ? null : text.Trim();
}
