using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

public sealed class HttpsLab() : TwoClientLabFixture(subnet: 220);

/// <summary>HTTPS listeners as a client sees them through the VIP: certificates, SNI, TLS versions, redirects, HTTP/2.</summary>
public sealed class HttpsTests(HttpsLab fixture, ITestOutputHelper output) : IClassFixture<HttpsLab>
{
    private readonly LabDeployment _lab = fixture.Lab;

    [Fact]
    public async Task Https_SeveralCertificates_SniPicksTheMatchingOneAndTheDefaultServesOtherNames()
    {
        try
        {
            var shop = await CertificateAsync("shop.lab.test");
            var api = await CertificateAsync("api.lab.test");
            var blog = await CertificateAsync("blog.lab.test");
            var (lb, web) = await LoadBalancerAsync("sni");
            await HttpsListenerAsync(lb, web, 443, new { certificateId = shop.Id, sniCertificateIds = new[] { api.Id, blog.Id } });
            var vip = new IPEndPoint(IPAddress.Parse(lb.Vip), 443);
            await ServedOverTlsAsync(vip);

            var sessions = new Dictionary<string, TlsSession>(StringComparer.Ordinal);
            foreach (var name in new[] { "shop.lab.test", "api.lab.test", "blog.lab.test", "other.lab.test" })
            {
                sessions[name] = await fixture.Client.TlsAsync(vip, name);
            }

            var withoutSni = await fixture.Client.TlsAsync(vip, serverName: null);

            Assert.Equal("shop.lab.test", sessions["shop.lab.test"].CertificateName);
            Assert.Equal("api.lab.test", sessions["api.lab.test"].CertificateName);
            Assert.Equal("blog.lab.test", sessions["blog.lab.test"].CertificateName);
            Assert.Equal("shop.lab.test", sessions["other.lab.test"].CertificateName);
            Assert.Equal("shop.lab.test", withoutSni.CertificateName);
            Assert.All(sessions.Values.Append(withoutSni), session => Assert.Equal("be1", session.ServedBy));
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    [Fact]
    public async Task Https_MinVersionTls13_RefusesAClientOfferingOnlyTls12AndServesTls13()
    {
        try
        {
            var certificate = await CertificateAsync("strict.lab.test");
            var (lb, web) = await LoadBalancerAsync("strict");
            await HttpsListenerAsync(lb, web, 443, new { certificateId = certificate.Id, minVersion = "TLSv1.3" });
            var vip = new IPEndPoint(IPAddress.Parse(lb.Vip), 443);
            await ServedOverTlsAsync(vip);

            var modern = await fixture.Client.TlsAsync(vip, "strict.lab.test", SslProtocols.Tls13);
            var old = await Record.ExceptionAsync(() => fixture.Client.TlsAsync(vip, "strict.lab.test", SslProtocols.Tls12));

            Assert.Equal(SslProtocols.Tls13, modern.Protocol);
            Assert.Equal("be1", modern.ServedBy);
            Assert.IsType<AuthenticationException>(old);
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    [Fact]
    public async Task Https_DefaultMinVersion_ServesAClientOfferingOnlyTls12()
    {
        try
        {
            var certificate = await CertificateAsync("plain.lab.test");
            var (lb, web) = await LoadBalancerAsync("plain");
            await HttpsListenerAsync(lb, web, 443, new { certificateId = certificate.Id });
            var vip = new IPEndPoint(IPAddress.Parse(lb.Vip), 443);
            await ServedOverTlsAsync(vip);

            var session = await fixture.Client.TlsAsync(vip, "plain.lab.test", SslProtocols.Tls12);

            Assert.Equal(SslProtocols.Tls12, session.Protocol);
            Assert.Equal("be1", session.ServedBy);
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    [Fact]
    public async Task Http_RedirectToHttps_AnswersWithAPermanentRedirectToTheSameUrlOverHttps()
    {
        try
        {
            var certificate = await CertificateAsync("www.lab.test");
            var (lb, web) = await LoadBalancerAsync("redirect");
            await HttpsListenerAsync(lb, web, 443, new { certificateId = certificate.Id });
            await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, redirectToHttps = true });
            using var http = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(5));
            var url = $"http://{lb.Vip}/basket/items?page=2";
            await Eventually.TrueAsync(
                async () => await RedirectAsync(http, url) is not null,
                TimeSpan.FromSeconds(30),
                () => "the http listener never answered with a redirect");
            await Eventually.TrueAsync(() => _lab.NodesCaughtUpAsync(), TimeSpan.FromSeconds(30), () => "the nodes never applied the last change");

            using var redirect = await http.GetAsync(url);
            var followed = await http.ServedByAsync(redirect.Headers.Location!.ToString());

            Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
            Assert.Equal(new Uri($"https://{lb.Vip}/basket/items?page=2"), redirect.Headers.Location);
            Assert.Equal("be1", followed);
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    [Fact]
    public async Task Https_Http2Enabled_NegotiatesH2ThroughAlpnAndServesOverIt_WhileAListenerWithoutItStaysOnHttp11()
    {
        try
        {
            var certificate = await CertificateAsync("h2.lab.test");
            var (lb, web) = await LoadBalancerAsync("h2");
            await HttpsListenerAsync(lb, web, 443, new { certificateId = certificate.Id }, http2: true);
            await HttpsListenerAsync(lb, web, 8443, new { certificateId = certificate.Id }, http2: false);
            var h2 = new IPEndPoint(IPAddress.Parse(lb.Vip), 443);
            var h1 = new IPEndPoint(IPAddress.Parse(lb.Vip), 8443);
            await ServedOverTlsAsync(h2);
            await ServedOverTlsAsync(h1);
            List<SslApplicationProtocol> offered = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
            using var http2 = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(5), version: HttpVersion.Version20);

            var enabled = await fixture.Client.TlsAsync(h2, "h2.lab.test", applicationProtocols: offered);
            var disabled = await fixture.Client.TlsAsync(h1, "h2.lab.test", applicationProtocols: offered);
            using var response = await http2.GetAsync($"https://{lb.Vip}/");
            var body = await response.Content.ReadAsStringAsync();
            var refused = await Record.ExceptionAsync(() => http2.GetAsync($"https://{lb.Vip}:8443/"));

            Assert.Equal(SslApplicationProtocol.Http2, enabled.ApplicationProtocol);
            Assert.NotEqual(SslApplicationProtocol.Http2, disabled.ApplicationProtocol);
            Assert.Equal("be1", disabled.ServedBy);
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal("be1", VipClient.FirstLine(body));
            Assert.IsType<HttpRequestException>(refused);
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    private async Task<CertificateResponse> CertificateAsync(string hostname)
    {
        var pem = SelfSignedCertificate.Create(hostname);
        return await _lab.CreateAsync<CertificateResponse>("certificates", new
        {
            projectId = _lab.Project.Id,
            name = hostname.Replace('.', '-'),
            certificatePem = pem.CertificatePem,
            privateKeyPem = pem.PrivateKeyPem,
        });
    }

    /// <summary>A load balancer of its own, with a group holding be1 only: every answer comes from be1.</summary>
    private async Task<(LoadBalancerResponse Lb, BackendGroupResponse Web)> LoadBalancerAsync(string name)
    {
        var lb = await _lab.CreateLoadBalancerAsync(name);
        var web = await _lab.CreateGroupAsync(lb, "web");
        await _lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = _lab.Backends[0].Address, port = LabDeployment.BackendHttpPort });
        return (lb, web);
    }

    private Task<ListenerResponse> HttpsListenerAsync(LoadBalancerResponse lb, BackendGroupResponse web, int port, object tls, bool http2 = false) =>
        _lab.CreateAsync<ListenerResponse>("listeners", new
        {
            loadBalancerId = lb.Id,
            name = $"https-{port}",
            protocol = "https",
            port,
            defaultBackendGroupId = web.Id,
            tls,
            http2,
        });

    /// <summary>
    /// Served, and every node done with the changes that made it: a reload closes idle connections, and these tests
    /// hold a TLS session open between the handshake and the request.
    /// </summary>
    private async Task ServedOverTlsAsync(IPEndPoint vip)
    {
        await Eventually.TrueAsync(() => _lab.NodesCaughtUpAsync(), TimeSpan.FromSeconds(30), () => "the nodes never applied the last change");
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return (await fixture.Client.TlsAsync(vip, serverName: null)).ServedBy is not null;
                }
                catch (Exception e) when (e is IOException or AuthenticationException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            () => $"{vip} never served over TLS");
    }

    private static async Task<Uri?> RedirectAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode == HttpStatusCode.MovedPermanently ? response.Headers.Location : null;
        }
        catch (Exception e) when (VipClient.IsRefusal(e))
        {
            return null;
        }
    }
}
