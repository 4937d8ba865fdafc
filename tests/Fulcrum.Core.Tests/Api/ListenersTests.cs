using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class ListenersTests
{
    [Fact]
    public void Normalize_MinimalHttpListener_DefaultsFilledIn()
    {
        var errors = new ValidationErrors();

        var listener = Listener(ListenerProtocol.Http).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal("lb-1", listener.LoadBalancerId);
        Assert.Equal("web", listener.Name);
        Assert.Equal("", listener.Description);
        Assert.Equal(ListenerProtocol.Http, listener.Protocol);
        Assert.Equal(80, listener.Port);
        Assert.Equal(Scheduler.RoundRobin, listener.Scheduler);
        Assert.Null(listener.ConnectionLimit);
        Assert.Equal(new TimeoutSpec(5_000, 50_000, 50_000), listener.Timeouts);
        Assert.Null(listener.HealthCheck);
        Assert.Null(listener.StickySession);
        Assert.True(listener.ForwardedHeaders);
        Assert.False(listener.Gzip);
        Assert.False(listener.Http2);
        Assert.False(listener.RedirectToHttps);
        Assert.Null(listener.Tls);
        Assert.Null(listener.Acl);
        Assert.Equal(ProxyProtocol.None, listener.ProxyProtocol);
        Assert.True(listener.Enabled);
    }

    [Theory]
    [InlineData(ListenerProtocol.Tcp)]
    [InlineData(ListenerProtocol.Udp)]
    public void Normalize_Layer4Listener_NoForwardedHeadersByDefault(ListenerProtocol protocol)
    {
        var errors = new ValidationErrors();

        var listener = Listener(protocol).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.False(listener.ForwardedHeaders);
    }

    [Fact]
    public void Normalize_HttpsListenerWithCertificate_TlsDefaultsFilledIn()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Https) with
        {
            Port = 443,
            Http2 = true,
            Tls = new TlsSpec("cert-1", ["cert-2", "cert-1", "cert-2", "cert-3"], null),
        };

        var listener = request.Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.True(listener.Http2);
        Assert.True(listener.ForwardedHeaders);
        Assert.NotNull(listener.Tls);
        Assert.Equal("cert-1", listener.Tls.CertificateId);
        Assert.Equal(["cert-2", "cert-3"], listener.Tls.SniCertificateIds);
        Assert.Equal(TlsVersion.Tls12, listener.Tls.MinVersion);
    }

    [Fact]
    public void Normalize_HttpsWithoutTls_CertificateIdRequired()
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Https) with { Tls = null }).Normalize(errors);

        Assert.Equal(["tls.certificateId"], errors.Paths());
        Assert.Equal(["is required: an https listener needs a certificate."], errors.MessagesAt("tls.certificateId"));
    }

    [Fact]
    public void Normalize_HttpsWithTlsButNoCertificateId_CertificateIdRequired()
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Https) with { Tls = new TlsSpec(null, null, TlsVersion.Tls13) }).Normalize(errors);

        Assert.Equal(["tls.certificateId"], errors.Paths());
    }

    [Theory]
    [InlineData(ListenerProtocol.Http)]
    [InlineData(ListenerProtocol.Tcp)]
    [InlineData(ListenerProtocol.Udp)]
    public void Normalize_TlsOnNonHttpsListener_Rejected(ListenerProtocol protocol)
    {
        var errors = new ValidationErrors();

        var listener = (Listener(protocol) with { Tls = new TlsSpec("cert-1", null, null) }).Normalize(errors);

        Assert.Equal(["tls"], errors.Paths());
        Assert.Equal(["is only available on https listeners."], errors.MessagesAt("tls"));
        Assert.Null(listener.Tls);
    }

    [Fact]
    public void Normalize_SniCertificateIdMissing_ErrorAtItsIndex()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Https) with { Tls = new TlsSpec("cert-1", ["cert-2", "", "cert-3"], null) };

        request.Normalize(errors);

        Assert.Equal(["tls.sniCertificateIds[1]"], errors.Paths());
    }

    [Theory]
    [InlineData(ListenerProtocol.Http)]
    [InlineData(ListenerProtocol.Tcp)]
    [InlineData(ListenerProtocol.Udp)]
    public void Normalize_Http2OnNonHttpsListener_Rejected(ListenerProtocol protocol)
    {
        var errors = new ValidationErrors();

        (Listener(protocol) with { Http2 = true }).Normalize(errors);

        Assert.Equal(["http2"], errors.Paths());
    }

    [Fact]
    public void Normalize_Http2FalseOnTcpListener_Accepted()
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Tcp) with { Http2 = false, Gzip = false, ForwardedHeaders = false, RedirectToHttps = false }).Normalize(errors);

        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Normalize_RedirectToHttpsOnHttpListener_Accepted()
    {
        var errors = new ValidationErrors();

        var listener = (Listener(ListenerProtocol.Http) with { RedirectToHttps = true }).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.True(listener.RedirectToHttps);
    }

    [Theory]
    [InlineData(ListenerProtocol.Https)]
    [InlineData(ListenerProtocol.Tcp)]
    [InlineData(ListenerProtocol.Udp)]
    public void Normalize_RedirectToHttpsOnNonHttpListener_Rejected(ListenerProtocol protocol)
    {
        var errors = new ValidationErrors();

        (Listener(protocol) with { RedirectToHttps = true }).Normalize(errors);

        Assert.Equal(["redirectToHttps"], errors.Paths());
    }

    [Theory]
    [InlineData(ListenerProtocol.Tcp)]
    [InlineData(ListenerProtocol.Udp)]
    public void Normalize_GzipOnLayer4Listener_Rejected(ListenerProtocol protocol)
    {
        var errors = new ValidationErrors();

        (Listener(protocol) with { Gzip = true }).Normalize(errors);

        Assert.Equal(["gzip"], errors.Paths());
        Assert.Equal(["is only available on http and https listeners."], errors.MessagesAt("gzip"));
    }

    [Theory]
    [InlineData(ListenerProtocol.Tcp)]
    [InlineData(ListenerProtocol.Udp)]
    public void Normalize_ForwardedHeadersOnLayer4Listener_Rejected(ListenerProtocol protocol)
    {
        var errors = new ValidationErrors();

        (Listener(protocol) with { ForwardedHeaders = true }).Normalize(errors);

        Assert.Equal(["forwardedHeaders"], errors.Paths());
    }

    [Theory]
    [InlineData(ListenerProtocol.Http)]
    [InlineData(ListenerProtocol.Https)]
    public void Normalize_GzipAndForwardedHeadersOnHttpListeners_Accepted(ListenerProtocol protocol)
    {
        var errors = new ValidationErrors();

        var listener = (Listener(protocol) with { Gzip = true, ForwardedHeaders = false }).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.True(listener.Gzip);
        Assert.False(listener.ForwardedHeaders);
    }

    [Theory]
    [InlineData(ProxyProtocol.V1)]
    [InlineData(ProxyProtocol.V2)]
    public void Normalize_ProxyProtocolOnUdpListener_Rejected(ProxyProtocol proxyProtocol)
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Udp) with { ProxyProtocol = proxyProtocol }).Normalize(errors);

        Assert.Equal(["proxyProtocol"], errors.Paths());
    }

    [Fact]
    public void Normalize_ProxyProtocolOnTcpListener_Kept()
    {
        var errors = new ValidationErrors();

        var listener = (Listener(ListenerProtocol.Tcp) with { ProxyProtocol = ProxyProtocol.V2 }).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(ProxyProtocol.V2, listener.ProxyProtocol);
    }

    [Fact]
    public void Normalize_EmptyRequest_EveryRequiredFieldReported()
    {
        var errors = new ValidationErrors();
        var request = new ListenerRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        request.Normalize(errors);

        Assert.Equal(["loadBalancerId", "name", "port", "protocol"], errors.Paths());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Normalize_PortOutOfRange_Rejected(int port)
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Tcp) with { Port = port }).Normalize(errors);

        Assert.Equal(["port"], errors.Paths());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    public void Normalize_ConnectionLimitOutOfRange_Rejected(int limit)
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Tcp) with { ConnectionLimit = limit }).Normalize(errors);

        Assert.Equal(["connectionLimit"], errors.Paths());
    }

    [Fact]
    public void Normalize_TimeoutsOutOfRange_ErrorPerField()
    {
        var errors = new ValidationErrors();

        var listener = (Listener(ListenerProtocol.Tcp) with { Timeouts = new TimeoutSpec(300_001, 0, 1) }).Normalize(errors);

        Assert.Equal(["timeouts.clientMs", "timeouts.connectMs"], errors.Paths());
        Assert.Equal(1, listener.Timeouts?.ServerMs);
    }

    [Fact]
    public void Normalize_HttpHealthCheck_DefaultsFilledIn()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Http) with { HealthCheck = new HealthCheckSpec(HealthCheckType.Http, null, null, null, null, null, null) };

        var check = request.Normalize(errors).HealthCheck;

        Assert.True(errors.IsEmpty);
        Assert.NotNull(check);
        Assert.Equal(2_000, check.IntervalMs);
        Assert.Equal(1_000, check.TimeoutMs);
        Assert.Equal(2, check.Rise);
        Assert.Equal(3, check.Fall);
        Assert.Equal(new HttpCheckSpec("GET", "/", null, "200-399"), check.Http);
        Assert.Null(check.Udp);
    }

    [Fact]
    public void Normalize_HttpHealthCheckFields_Normalised()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Tcp) with
        {
            HealthCheck = new HealthCheckSpec(HealthCheckType.Http, 5_000, 5_000, 1, 1, new HttpCheckSpec("HEAD", "/healthz?full=1", "App.Example.COM", "200,204"), null),
        };

        var check = request.Normalize(errors).HealthCheck;

        Assert.True(errors.IsEmpty);
        Assert.Equal(new HttpCheckSpec("HEAD", "/healthz?full=1", "app.example.com", "200,204"), check?.Http);
    }

    [Fact]
    public void Normalize_HttpHealthCheckInvalidFields_ErrorsUnderHealthCheckHttp()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Http) with
        {
            HealthCheck = new HealthCheckSpec(HealthCheckType.Http, null, null, null, null, new HttpCheckSpec("get", "healthz", "bad host", "200-"), null),
        };

        request.Normalize(errors);

        Assert.Equal(
            ["healthCheck.http.expectedCodes", "healthCheck.http.host", "healthCheck.http.method", "healthCheck.http.path"],
            errors.Paths());
    }

    [Fact]
    public void Normalize_HealthCheckTimeoutLongerThanInterval_Rejected()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Tcp) with { HealthCheck = new HealthCheckSpec(HealthCheckType.Tcp, 1_000, 1_001, null, null, null, null) };

        request.Normalize(errors);

        Assert.Equal(["healthCheck.timeoutMs"], errors.Paths());
        Assert.Equal(["must not be longer than intervalMs."], errors.MessagesAt("healthCheck.timeoutMs"));
    }

    [Fact]
    public void Normalize_HealthCheckTimeoutEqualToInterval_Accepted()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Tcp) with { HealthCheck = new HealthCheckSpec(HealthCheckType.Tcp, 1_000, 1_000, null, null, null, null) };

        request.Normalize(errors);

        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Normalize_HealthCheckDefaultTimeoutAboveGivenInterval_Rejected()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Tcp) with { HealthCheck = new HealthCheckSpec(HealthCheckType.Tcp, 500, null, null, null, null, null) };

        request.Normalize(errors);

        Assert.Equal(["healthCheck.timeoutMs"], errors.Paths());
    }

    [Theory]
    [InlineData(ListenerProtocol.Tcp)]
    [InlineData(ListenerProtocol.Http)]
    [InlineData(ListenerProtocol.Https)]
    public void Normalize_UdpHealthCheckOnNonUdpListener_Rejected(ListenerProtocol protocol)
    {
        var errors = new ValidationErrors();
        var request = Listener(protocol) with
        {
            HealthCheck = new HealthCheckSpec(HealthCheckType.Udp, null, null, null, null, null, new UdpCheckSpec("ping", "pong")),
        };

        request.Normalize(errors);

        Assert.Equal(["healthCheck.type"], errors.Paths());
        Assert.Equal(["udp health checks are only available on udp listeners."], errors.MessagesAt("healthCheck.type"));
    }

    [Fact]
    public void Normalize_UdpHealthCheckOnUdpListener_PayloadKept()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Udp) with
        {
            HealthCheck = new HealthCheckSpec(HealthCheckType.Udp, null, null, null, null, null, new UdpCheckSpec("ping", "pong")),
        };

        var check = request.Normalize(errors).HealthCheck;

        Assert.True(errors.IsEmpty);
        Assert.Equal(new UdpCheckSpec("ping", "pong"), check?.Udp);
        Assert.Null(check?.Http);
    }

    [Fact]
    public void Normalize_UdpHealthCheckWithoutPayload_SendRequired()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Udp) with { HealthCheck = new HealthCheckSpec(HealthCheckType.Udp, null, null, null, null, null, null) };

        request.Normalize(errors);

        Assert.Equal(["healthCheck.udp.send"], errors.Paths());
    }

    [Fact]
    public void Normalize_UdpHealthCheckPayloadWithControlCharacters_Rejected()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Udp) with
        {
            HealthCheck = new HealthCheckSpec(HealthCheckType.Udp, null, null, null, null, null, new UdpCheckSpec("ping\r\n", "po\u0000ng")),
        };

        request.Normalize(errors);

        Assert.Equal(["healthCheck.udp.expect", "healthCheck.udp.send"], errors.Paths());
    }

    [Fact]
    public void Normalize_SubSpecOfTheWrongHealthCheckType_Rejected()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Tcp) with
        {
            HealthCheck = new HealthCheckSpec(HealthCheckType.Tcp, null, null, null, null, new HttpCheckSpec(null, "/", null, null), new UdpCheckSpec("ping", null)),
        };

        var check = request.Normalize(errors).HealthCheck;

        Assert.Equal(["healthCheck.http", "healthCheck.udp"], errors.Paths());
        Assert.Null(check?.Http);
        Assert.Null(check?.Udp);
    }

    [Fact]
    public void Normalize_HealthCheckWithoutType_TypeRequired()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Tcp) with { HealthCheck = new HealthCheckSpec(null, null, null, null, null, null, null) };

        request.Normalize(errors);

        Assert.Equal(["healthCheck.type"], errors.Paths());
    }

    [Theory]
    [InlineData(StickySessionType.CookieInsert, ListenerProtocol.Tcp)]
    [InlineData(StickySessionType.CookieInsert, ListenerProtocol.Udp)]
    [InlineData(StickySessionType.AppCookie, ListenerProtocol.Tcp)]
    [InlineData(StickySessionType.AppCookie, ListenerProtocol.Udp)]
    public void Normalize_CookieStickinessOnLayer4Listener_Rejected(StickySessionType type, ListenerProtocol protocol)
    {
        var errors = new ValidationErrors();

        (Listener(protocol) with { StickySession = new StickySessionSpec(type, "SESSION", null) }).Normalize(errors);

        Assert.Equal(["stickySession.type"], errors.Paths());
        Assert.Equal(["cookie stickiness is only available on http and https listeners."], errors.MessagesAt("stickySession.type"));
    }

    [Fact]
    public void Normalize_SourceIpStickinessOnUdpListener_Rejected()
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Udp) with { StickySession = new StickySessionSpec(StickySessionType.SourceIp, null, null) }).Normalize(errors);

        Assert.Equal(["stickySession.type"], errors.Paths());
    }

    [Fact]
    public void Normalize_CookieInsertWithoutName_DefaultCookieAndTimeout()
    {
        var errors = new ValidationErrors();

        var sticky = (Listener(ListenerProtocol.Http) with { StickySession = new StickySessionSpec(StickySessionType.CookieInsert, null, null) }).Normalize(errors).StickySession;

        Assert.True(errors.IsEmpty);
        Assert.Equal(new StickySessionSpec(StickySessionType.CookieInsert, "FULCRUM_BACKEND", 30 * 60 * 1000), sticky);
    }

    [Fact]
    public void Normalize_AppCookieWithoutName_CookieNameRequired()
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Http) with { StickySession = new StickySessionSpec(StickySessionType.AppCookie, null, null) }).Normalize(errors);

        Assert.Equal(["stickySession.cookieName"], errors.Paths());
        Assert.Equal(["is required."], errors.MessagesAt("stickySession.cookieName"));
    }

    [Fact]
    public void Normalize_CookieNameNotAToken_Rejected()
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Http) with { StickySession = new StickySessionSpec(StickySessionType.AppCookie, "JSESSIONID; Path=/", null) }).Normalize(errors);

        Assert.Equal(["stickySession.cookieName"], errors.Paths());
    }

    [Fact]
    public void Normalize_CookieNameWithSourceIpStickiness_Rejected()
    {
        var errors = new ValidationErrors();

        var sticky = (Listener(ListenerProtocol.Tcp) with { StickySession = new StickySessionSpec(StickySessionType.SourceIp, "SESSION", null) }).Normalize(errors).StickySession;

        Assert.Equal(["stickySession.cookieName"], errors.Paths());
        Assert.Null(sticky?.CookieName);
    }

    [Theory]
    [InlineData(999)]
    [InlineData(604_800_001)]
    public void Normalize_StickinessTimeoutOutOfRange_Rejected(int timeoutMs)
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Tcp) with { StickySession = new StickySessionSpec(StickySessionType.SourceIp, null, timeoutMs) }).Normalize(errors);

        Assert.Equal(["stickySession.timeoutMs"], errors.Paths());
    }

    [Fact]
    public void Normalize_AclBindingIncomplete_ModeAndAclIdRequired()
    {
        var errors = new ValidationErrors();

        (Listener(ListenerProtocol.Tcp) with { Acl = new AclBinding(null, "") }).Normalize(errors);

        Assert.Equal(["acl.aclId", "acl.mode"], errors.Paths());
    }

    [Fact]
    public void Normalize_SeveralMistakes_AllReportedAtOnce()
    {
        var errors = new ValidationErrors();
        var request = Listener(ListenerProtocol.Udp) with
        {
            Name = " padded",
            Gzip = true,
            Http2 = true,
            RedirectToHttps = true,
            Tls = new TlsSpec("cert-1", null, null),
            ProxyProtocol = ProxyProtocol.V1,
        };

        request.Normalize(errors);

        Assert.Equal(["gzip", "http2", "name", "proxyProtocol", "redirectToHttps", "tls"], errors.Paths());
    }

    /// <summary>A valid listener of the protocol: an https one carries a certificate.</summary>
    private static ListenerRequest Listener(ListenerProtocol protocol) =>
        new("lb-1", "web", null, protocol, 80, null, null, null, null, null, null, null, null, null, null,
            protocol is ListenerProtocol.Https ? new TlsSpec("cert-1", null, null) : null, null, null, null);
}
