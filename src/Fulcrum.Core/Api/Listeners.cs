using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// A port on the load balancer's VIP. <see cref="LoadBalancerId"/> is fixed once the listener exists; every other
/// field is replaced by an update, omitted ones taking their defaults.
/// </summary>
/// <param name="AccessLog">
/// Each node logs every connection (tcp) or request (http, https) of the listener in Fulcrum's access-log format to a
/// local file; the API shows the MASTER's newest lines. Not available on udp listeners. Default false.
/// </param>
public sealed record ListenerRequest(
    string? LoadBalancerId,
    string? Name,
    string? Description,
    ListenerProtocol? Protocol,
    int? Port,
    string? DefaultBackendGroupId,
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
    bool? AccessLog = null)
{
    public const int MaxConnectionLimit = 1_000_000;

    public ListenerRequest Normalize(ValidationErrors errors)
    {
        var protocol = Grammar.Required(errors, "protocol", Protocol);
        var isHttp = protocol is ListenerProtocol.Http or ListenerProtocol.Https;

        HttpOnly(errors, "forwardedHeaders", ForwardedHeaders, isHttp);
        HttpOnly(errors, "gzip", Gzip, isHttp);
        if (Http2 is true && protocol is not ListenerProtocol.Https)
        {
            errors.Add("http2", "is only available on https listeners (HTTP/2 is negotiated through TLS ALPN).");
        }

        if (RedirectToHttps is true && protocol is not ListenerProtocol.Http)
        {
            errors.Add("redirectToHttps", "is only available on http listeners.");
        }

        if (protocol is ListenerProtocol.Https && Tls?.CertificateId is null)
        {
            errors.Add("tls.certificateId", "is required: an https listener needs a certificate.");
        }
        else if (protocol is not ListenerProtocol.Https && Tls is not null && protocol is not null)
        {
            errors.Add("tls", "is only available on https listeners.");
        }

        if (protocol is ListenerProtocol.Udp && ProxyProtocol is not (null or Api.ProxyProtocol.None))
        {
            errors.Add("proxyProtocol", "is not available on udp listeners.");
        }

        if (protocol is ListenerProtocol.Udp && AccessLog is true)
        {
            errors.Add("accessLog", "is not available on udp listeners.");
        }

        return new(
            Grammar.Required(errors, "loadBalancerId", LoadBalancerId),
            Grammar.Name(errors, "name", Name),
            Grammar.Description(errors, "description", Description),
            protocol,
            Grammar.Port(errors, "port", Port),
            DefaultBackendGroupId,
            Scheduler ?? Api.Scheduler.RoundRobin,
            Grammar.Range(errors, "connectionLimit", ConnectionLimit, 1, MaxConnectionLimit),
            (Timeouts ?? new TimeoutSpec(null, null, null)).Normalize(errors, "timeouts"),
            HealthCheck?.Normalize(errors, "healthCheck", protocol),
            StickySession?.Normalize(errors, "stickySession", protocol),
            ForwardedHeaders ?? isHttp,
            Gzip ?? false,
            Http2 ?? false,
            RedirectToHttps ?? false,
            protocol is ListenerProtocol.Https ? Tls?.Normalize(errors, "tls") : null,
            Acl?.Normalize(errors, "acl"),
            ProxyProtocol ?? Api.ProxyProtocol.None,
            Enabled ?? true,
            AccessLog ?? false);
    }

    private static void HttpOnly(ValidationErrors errors, string path, bool? value, bool isHttp)
    {
        if (value is true && !isHttp)
        {
            errors.Add(path, "is only available on http and https listeners.");
        }
    }
}

public sealed record TimeoutSpec(int? ConnectMs, int? ClientMs, int? ServerMs)
{
    public const int MaxMs = 24 * 3600 * 1000;

    public TimeoutSpec Normalize(ValidationErrors errors, string path) => new(
        Grammar.Range(errors, $"{path}.connectMs", ConnectMs ?? 5_000, 1, 300_000),
        Grammar.Range(errors, $"{path}.clientMs", ClientMs ?? 50_000, 1, MaxMs),
        Grammar.Range(errors, $"{path}.serverMs", ServerMs ?? 50_000, 1, MaxMs));
}

public sealed record HealthCheckSpec(
    HealthCheckType? Type,
    int? IntervalMs,
    int? TimeoutMs,
    int? Rise,
    int? Fall,
    HttpCheckSpec? Http,
    UdpCheckSpec? Udp)
{
    public HealthCheckSpec Normalize(ValidationErrors errors, string path, ListenerProtocol? protocol)
    {
        var type = Grammar.Required(errors, $"{path}.type", Type);
        if (type is HealthCheckType.Udp && protocol is not (null or ListenerProtocol.Udp))
        {
            errors.Add($"{path}.type", "udp health checks are only available on udp listeners.");
        }

        if (Http is not null && type is not HealthCheckType.Http)
        {
            errors.Add($"{path}.http", "is only used by health checks of type http.");
        }

        if (Udp is not null && type is not HealthCheckType.Udp)
        {
            errors.Add($"{path}.udp", "is only used by health checks of type udp.");
        }

        var interval = Grammar.Range(errors, $"{path}.intervalMs", IntervalMs ?? 2_000, 100, 3_600_000);
        var timeout = Grammar.Range(errors, $"{path}.timeoutMs", TimeoutMs ?? 1_000, 10, 3_600_000);
        if (interval is not null && timeout > interval)
        {
            errors.Add($"{path}.timeoutMs", "must not be longer than intervalMs.");
        }

        return new(
            type,
            interval,
            timeout,
            Grammar.Range(errors, $"{path}.rise", Rise ?? 2, 1, 100),
            Grammar.Range(errors, $"{path}.fall", Fall ?? 3, 1, 100),
            type is HealthCheckType.Http ? (Http ?? new HttpCheckSpec(null, null, null, null)).Normalize(errors, $"{path}.http") : null,
            type is HealthCheckType.Udp ? UdpCheckSpec.Normalize(errors, $"{path}.udp", Udp) : null);
    }
}

public sealed record HttpCheckSpec(string? Method, string? Path, string? Host, string? ExpectedCodes)
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "OPTIONS"];

    public HttpCheckSpec Normalize(ValidationErrors errors, string path)
    {
        var method = Method ?? "GET";
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            errors.Add($"{path}.method", $"must be one of {string.Join(", ", Methods)}.");
        }

        return new(
            method,
            Grammar.UrlPath(errors, $"{path}.path", Path ?? "/", allowQuery: true),
            Grammar.Hostname(errors, $"{path}.host", Host),
            Validation.ExpectedCodes.Normalize(errors, $"{path}.expectedCodes", ExpectedCodes ?? "200-399"));
    }
}

/// <summary>A datagram the agent sends to each backend, and the text that must appear in the answer.</summary>
public sealed record UdpCheckSpec(string? Send, string? Expect)
{
    public const int MaxPayloadLength = 256;

    public static UdpCheckSpec Normalize(ValidationErrors errors, string path, UdpCheckSpec? spec) => new(
        Grammar.DisplayText(errors, $"{path}.send", spec?.Send, MaxPayloadLength, required: true),
        Grammar.DisplayText(errors, $"{path}.expect", spec?.Expect, MaxPayloadLength, required: false));
}

public sealed record StickySessionSpec(StickySessionType? Type, string? CookieName, int? TimeoutMs)
{
    public const string DefaultCookieName = "FULCRUM_BACKEND";

    public StickySessionSpec Normalize(ValidationErrors errors, string path, ListenerProtocol? protocol)
    {
        var type = Grammar.Required(errors, $"{path}.type", Type);
        var cookie = type is StickySessionType.CookieInsert or StickySessionType.AppCookie;
        if (cookie && protocol is ListenerProtocol.Tcp or ListenerProtocol.Udp)
        {
            errors.Add($"{path}.type", "cookie stickiness is only available on http and https listeners.");
        }

        if (type is StickySessionType.SourceIp && protocol is ListenerProtocol.Udp)
        {
            errors.Add($"{path}.type", "udp listeners keep clients on one backend with scheduler sourceIp instead.");
        }

        string? cookieName = null;
        if (type is StickySessionType.AppCookie)
        {
            cookieName = Grammar.HttpToken(errors, $"{path}.cookieName", CookieName, required: true);
        }
        else if (type is StickySessionType.CookieInsert)
        {
            cookieName = Grammar.HttpToken(errors, $"{path}.cookieName", CookieName ?? DefaultCookieName);
        }
        else if (CookieName is not null)
        {
            errors.Add($"{path}.cookieName", "is only used by cookie stickiness.");
        }

        return new(type, cookieName, Grammar.Range(errors, $"{path}.timeoutMs", TimeoutMs ?? 30 * 60 * 1000, 1_000, 7 * 24 * 3600 * 1000));
    }
}

public sealed record TlsSpec(string? CertificateId, IReadOnlyList<string>? SniCertificateIds, TlsVersion? MinVersion)
{
    public const int MaxSniCertificates = 100;

    public TlsSpec Normalize(ValidationErrors errors, string path)
    {
        var sni = SniCertificateIds ?? [];
        if (sni.Count > MaxSniCertificates)
        {
            errors.Add($"{path}.sniCertificateIds", $"must hold at most {MaxSniCertificates} certificates.");
        }

        for (var i = 0; i < sni.Count; i++)
        {
            Grammar.Required(errors, $"{path}.sniCertificateIds[{i}]", sni[i]);
        }

        return new(
            Grammar.Required(errors, $"{path}.certificateId", CertificateId),
            sni.Where(id => !string.IsNullOrEmpty(id) && id != CertificateId).Distinct(StringComparer.Ordinal).ToList(),
            MinVersion ?? TlsVersion.Tls12);
    }
}

public sealed record AclBinding(AclMode? Mode, string? AclId)
{
    public AclBinding Normalize(ValidationErrors errors, string path) =>
        new(Grammar.Required(errors, $"{path}.mode", Mode), Grammar.Required(errors, $"{path}.aclId", AclId));
}

public sealed record ListenerResponse(
    string Id,
    string LoadBalancerId,
    string Name,
    string Description,
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
    bool AccessLog,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
