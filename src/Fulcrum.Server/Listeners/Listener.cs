using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Listeners;

public sealed class Listener : LoadBalancerPart, IWritable<ListenerRequest>
{
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public ListenerProtocol Protocol { get; set; }

    /// <summary>tcp, http and https share one port space on a VIP, udp another; the database keeps them unique.</summary>
    public string Transport { get; set; } = "";

    public int Port { get; set; }

    public string? DefaultBackendGroupId { get; set; }

    public Scheduler Scheduler { get; set; }

    public int? ConnectionLimit { get; set; }

    public required TimeoutSpec Timeouts { get; set; }

    public HealthCheckSpec? HealthCheck { get; set; }

    public StickySessionSpec? StickySession { get; set; }

    public bool ForwardedHeaders { get; set; }

    public bool Gzip { get; set; }

    public bool Http2 { get; set; }

    public bool RedirectToHttps { get; set; }

    public TlsSpec? Tls { get; set; }

    /// <summary>The default certificate of <see cref="Tls"/>, kept as a column so the database guards the reference.</summary>
    public string? CertificateId { get; set; }

    public AclBinding? Acl { get; set; }

    /// <summary>The ACL of <see cref="Acl"/>, kept as a column so the database guards the reference.</summary>
    public string? AclId { get; set; }

    public ProxyProtocol ProxyProtocol { get; set; }

    public bool Enabled { get; set; }

    public bool AccessLog { get; set; }

    public static string TransportOf(ListenerProtocol protocol) => protocol == ListenerProtocol.Udp ? "udp" : "tcp";

    public IEnumerable<string> CertificateIds =>
        Tls is null ? [] : new[] { Tls.CertificateId! }.Concat(Tls.SniCertificateIds ?? []);

    /// <summary>Its part of the cluster's snapshot, without rules.</summary>
    public SnapshotListener ToSnapshot() => new(
        Id, Protocol, Port, DefaultBackendGroupId, Scheduler, ConnectionLimit, Timeouts, HealthCheck,
        StickySession, ForwardedHeaders, Gzip, Http2, RedirectToHttps, Tls, Acl, ProxyProtocol, Enabled, [], AccessLog ? true : null);

    public object NodeView() => ToSnapshot();

    public ListenerRequest ToRequest() => new(
        LoadBalancerId, Name, Description, Protocol, Port, DefaultBackendGroupId, Scheduler, ConnectionLimit, Timeouts,
        HealthCheck, StickySession, ForwardedHeaders, Gzip, Http2, RedirectToHttps, Tls, Acl, ProxyProtocol, Enabled, AccessLog);

    public void Apply(ListenerRequest spec)
    {
        Name = spec.Name!;
        Description = spec.Description!;
        Protocol = spec.Protocol!.Value;
        Transport = TransportOf(Protocol);
        Port = spec.Port!.Value;
        DefaultBackendGroupId = spec.DefaultBackendGroupId;
        Scheduler = spec.Scheduler!.Value;
        ConnectionLimit = spec.ConnectionLimit;
        Timeouts = spec.Timeouts!;
        HealthCheck = spec.HealthCheck;
        StickySession = spec.StickySession;
        ForwardedHeaders = spec.ForwardedHeaders!.Value;
        Gzip = spec.Gzip!.Value;
        Http2 = spec.Http2!.Value;
        RedirectToHttps = spec.RedirectToHttps!.Value;
        Tls = spec.Tls;
        CertificateId = spec.Tls?.CertificateId;
        Acl = spec.Acl;
        AclId = spec.Acl?.AclId;
        ProxyProtocol = spec.ProxyProtocol!.Value;
        Enabled = spec.Enabled!.Value;
        AccessLog = spec.AccessLog!.Value;
    }

    public ListenerResponse ToResponse() => new(
        Id, LoadBalancerId, Name, Description, Protocol, Port, DefaultBackendGroupId, Scheduler, ConnectionLimit, Timeouts,
        HealthCheck, StickySession, ForwardedHeaders, Gzip, Http2, RedirectToHttps, Tls, Acl, ProxyProtocol, Enabled, AccessLog,
        CreatedAt.AsUtc(), UpdatedAt.AsUtc());
}
