using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Fulcrum.Agent.Control;
using Fulcrum.Agent.Enrolment;
using Fulcrum.Core.Api;
using CertificateRequest = System.Security.Cryptography.X509Certificates.CertificateRequest;

namespace Fulcrum.Agent.Tests.Enrolment;

public sealed class ServerTrustTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PinnedFingerprint_TheServersCertificate_IsTalkedTo()
    {
        using var certificate = SelfSigned("CN=control plane", "not-the-host-name.example");
        await using var server = await TlsServer.StartAsync(certificate);
        using var http = new HttpClient(new ServerTrust(Fingerprint(certificate)).CreateHandler()) { Timeout = Patience };

        using var response = await ServerClient.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, server.Url), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PinnedFingerprint_AnotherCertificate_IsRefusedSayingWhy()
    {
        using var pinned = SelfSigned("CN=control plane", "localhost");
        using var impostor = SelfSigned("CN=control plane", "localhost");
        await using var server = await TlsServer.StartAsync(impostor);
        using var http = new HttpClient(new ServerTrust(Fingerprint(pinned)).CreateHandler()) { Timeout = Patience };

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ServerClient.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, server.Url), CancellationToken.None));

        Assert.Contains("does not trust", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public void CaFile_ACertificateItIssuedForTheName_IsAccepted_OthersAreNot()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=fulcrum test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=control plane", leafKey, HashAlgorithmName.SHA256);
        using var issued = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), new byte[] { 1, 2, 3, 4 });
        using var stranger = SelfSigned("CN=control plane", "localhost");
        var trust = new ServerTrust(CaCertificatePem: ca.ExportCertificatePem());

        Assert.True(trust.Accepts(issued, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Accepts(issued, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(trust.Accepts(stranger, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Theory]
    [InlineData("AB:CD", null)]
    [InlineData("not hex at all", null)]
    public void NormalizeFingerprint_NotASha256_IsNull(string text, string? expected) =>
        Assert.Equal(expected, ServerTrust.NormalizeFingerprint(text));

    [Fact]
    public void NormalizeFingerprint_OpenSslsForm_IsTheHexDigits()
    {
        var hex = Convert.ToHexString(SHA256.HashData("x"u8));
        var openssl = string.Join(':', hex.ToLowerInvariant().Chunk(2).Select(p => new string(p)));

        Assert.Equal(hex, ServerTrust.NormalizeFingerprint(openssl));
    }

    [Fact]
    public void Refusal_PlainHttp_OnlyWithInsecure()
    {
        var server = new Uri("http://198.18.0.1:8080/");

        Assert.Contains("plain HTTP", new ServerTrust().Refusal(server), StringComparison.Ordinal);
        Assert.Null(new ServerTrust(Insecure: true).Refusal(server));
        Assert.Null(new ServerTrust().Refusal(new Uri("https://198.18.0.1:8443/")));
    }

    [Fact]
    public async Task Join_OverPlainHttpWithoutInsecure_IsRefusedBeforeSendingTheToken()
    {
        var directory = Directory.CreateTempSubdirectory("fulcrum-join-").FullName;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var output = new StringWriter();
        try
        {
            var state = new StateDirectory(directory);
            var server = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

            var code = await JoinCommand.RunAsync(server, new ServerTrust(), "fjt_secret", new AgentJoinRequest(null, null, "198.18.0.11", "eth0", null, null), state, output, CancellationToken.None);

            Assert.Equal(2, code);
            Assert.Contains("--insecure", output.ToString(), StringComparison.Ordinal);
            Assert.False(listener.Pending());
            Assert.False(File.Exists(state.CredentialFile));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));

    private static X509Certificate2 SelfSigned(string subject, string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // A certificate with an ephemeral key cannot serve TLS on every platform; a PFX round trip makes it persistable.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>One HTTPS answer ("hello") per connection on loopback, with the given certificate.</summary>
    private sealed class TlsServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private Task _serving = Task.CompletedTask;
        private int _requests;

        public Uri Url => new($"https://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public int Requests => Volatile.Read(ref _requests);

        public static Task<TlsServer> StartAsync(X509Certificate2 certificate)
        {
            var server = new TlsServer();
            server._listener.Start();
            server._serving = server.ServeAsync(certificate);
            return Task.FromResult(server);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _serving;
            _stop.Dispose();
        }

        private async Task ServeAsync(X509Certificate2 certificate)
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    await using var tls = new SslStream(client.GetStream());
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, _stop.Token);
                    var buffer = new byte[4096];
                    // With TLS 1.3 the server's handshake ends before the client judged the certificate: only bytes count as a request.
                    if (await tls.ReadAsync(buffer, _stop.Token) == 0)
                    {
                        continue;
                    }

                    Interlocked.Increment(ref _requests);
                    await tls.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"), _stop.Token);
                }
                catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                {
                    // The client refused the certificate: that connection ends, the server goes on.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
