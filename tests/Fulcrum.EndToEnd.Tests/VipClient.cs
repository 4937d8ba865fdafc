using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Fulcrum.Lab.Network;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>What a client sees through a VIP: every socket is made in the client's namespace.</summary>
public static class VipClient
{
    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(5);

    public static async Task<Socket> ConnectAsync(this NamespaceSockets sockets, IPEndPoint endpoint, CancellationToken ct = default)
    {
        var socket = sockets.Create(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An HTTP client that shows each answer as it came: it follows no redirect, keeps no cookies and accepts the
    /// lab's self-signed certificates. With a <paramref name="version"/>, it speaks exactly that version or fails.
    /// </summary>
    public static HttpClient PlainHttpClient(this NamespaceSockets sockets, TimeSpan timeout, bool keepAlive = false, Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = keepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
            ConnectCallback = async (context, ct) =>
                new NetworkStream(await sockets.ConnectAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), ct), ownsSocket: true),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = AnyLabCertificate;
        var client = new HttpClient(handler) { Timeout = timeout };
        if (version is not null)
        {
            client.DefaultRequestVersion = version;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }

    /// <summary>The backend that answered a GET (the first line of its body), or null when none did with 200.</summary>
    public static async Task<string?> ServedByAsync(this HttpClient http, string url, string? cookie = null)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }

            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK ? FirstLine(await response.Content.ReadAsStringAsync()) : null;
        }
        catch (Exception e) when (IsRefusal(e))
        {
            return null;
        }
    }

    /// <summary>
    /// A TLS handshake with the VIP offering <paramref name="serverName"/> as SNI (none when null), then an HTTP/1.1
    /// GET over it unless HTTP/2 was negotiated. Throws what the handshake threw when the VIP refused it.
    /// </summary>
    public static async Task<TlsSession> TlsAsync(
        this NamespaceSockets sockets,
        IPEndPoint vip,
        string? serverName,
        SslProtocols protocols = SslProtocols.None,
        IReadOnlyList<SslApplicationProtocol>? applicationProtocols = null)
    {
        using var timeout = new CancellationTokenSource(ExchangeTimeout);
        var socket = await sockets.ConnectAsync(vip, timeout.Token);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = serverName ?? "",
                EnabledSslProtocols = protocols,
                ApplicationProtocols = applicationProtocols?.ToList(),
                RemoteCertificateValidationCallback = AnyLabCertificate,
            },
            timeout.Token);
        using var certificate = new X509Certificate2(tls.RemoteCertificate!);
        var session = new TlsSession(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false), tls.SslProtocol, tls.NegotiatedApplicationProtocol, null);
        if (session.ApplicationProtocol != SslApplicationProtocol.Http2)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {serverName ?? vip.Address.ToString()}\r\nConnection: close\r\n\r\n"), timeout.Token);
            using var reader = new StreamReader(tls, Encoding.UTF8);
            var response = await reader.ReadToEndAsync(timeout.Token);
            var body = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return session with
            {
                ServedBy = response.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && body >= 0 ? FirstLine(response[(body + 4)..]) : null,
            };
        }

        return session;
    }

    /// <summary>A TCP session through the VIP: the backend's greeting (its name), then the echo of one line.</summary>
    public static async Task<(string Greeting, string Echo)> TcpEchoAsync(this NamespaceSockets sockets, IPEndPoint vip, string line)
    {
        using var timeout = new CancellationTokenSource(ExchangeTimeout);
        using var socket = await sockets.ConnectAsync(vip, timeout.Token);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var greeting = await reader.ReadLineAsync(timeout.Token) ?? "";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), timeout.Token);
        return (greeting, await reader.ReadLineAsync(timeout.Token) ?? "");
    }

    /// <summary>Whether a TCP connection through the VIP gets as far as a backend's answer.</summary>
    public static async Task<bool> HttpSucceedsAsync(this HttpClient http, string url) => await http.ServedByAsync(url) is not null;

    /// <summary>
    /// How a failed HTTP exchange surfaces. A connection the load balancer resets before the handler has looked at it
    /// comes out as a bare <see cref="SocketException"/> rather than an <see cref="HttpRequestException"/>.
    /// </summary>
    public static bool IsRefusal(Exception e) => e is HttpRequestException or TaskCanceledException or SocketException or IOException;

    public static string FirstLine(string body) => body.Split('\n')[0];

    /// <summary>
    /// The lab's certificates are self-signed, made on the spot and asked for by names the client's VIP does not
    /// carry: no chain or name check can pass. The tests check instead which certificate came.
    /// </summary>
    private static bool AnyLabCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => certificate is not null;
}

/// <summary>What a TLS client learnt from the VIP: the certificate's name, the protocols, and who served a GET.</summary>
public sealed record TlsSession(string CertificateName, SslProtocols Protocol, SslApplicationProtocol ApplicationProtocol, string? ServedBy);
