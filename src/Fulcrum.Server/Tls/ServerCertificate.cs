using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Tls;

/// <summary>
/// The control plane's HTTPS certificate when the operator configured none (<c>Kestrel:Certificates:Default</c>): a
/// self-signed one made on the first start and kept in the data directory, so its fingerprint — which agents pin with
/// <c>fulcrum-agent join --server-fingerprint</c> — stays the same across restarts.
/// </summary>
public static class ServerCertificate
{
    public const string CertificateFile = "server-certificate.pem";
    public const string KeyFile = "server-key.pem";

    /// <summary>Serves HTTPS with the generated certificate when an https URL is configured without a certificate of the operator's.</summary>
    public static void UseGeneratedWhenNoneConfigured(WebApplicationBuilder builder, FulcrumServerOptions options)
    {
        var urls = (builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? "");
        var https = urls.Concat(endpoints).Where(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).ToList();
        if (https.Count == 0 || builder.Configuration.GetSection("Kestrel:Certificates:Default").Exists())
        {
            return;
        }

        var certificate = LoadOrCreate(options.DataDirectory, https);
        var fingerprint = Fingerprint(certificate);
        // Not a secret: this is what an operator hands to every node, so it is printed where the operator looks.
        System.Console.Out.WriteLine($"""

            Fulcrum serves HTTPS with a self-signed certificate ({Path.Combine(Path.GetFullPath(options.DataDirectory), CertificateFile)}).
            Pin it on every node with:  fulcrum-agent join --server-fingerprint {fingerprint} ...

            """);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        builder.Services.AddSingleton(new ServerFingerprint(fingerprint));
    }

    /// <summary>The SHA-256 of the certificate's DER encoding, as upper-case hex pairs separated by colons (openssl's form).</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(p => new string(p)).Aggregate((a, b) => $"{a}:{b}");

    private static X509Certificate2 LoadOrCreate(string dataDirectory, IEnumerable<string> urls)
    {
        DataDirectory.Create(dataDirectory);
        var certificateFile = Path.Combine(dataDirectory, CertificateFile);
        var keyFile = Path.Combine(dataDirectory, KeyFile);
        if (!File.Exists(certificateFile) || !File.Exists(keyFile))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Fulcrum control plane", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(Names(urls));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var now = DateTimeOffset.UtcNow;
            using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
            DataDirectory.WritePrivate(keyFile, key.ExportPkcs8PrivateKeyPem());
            DataDirectory.WritePrivate(certificateFile, created.ExportCertificatePem());
        }

        return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
    }

    private static X509Extension Names(IEnumerable<string> urls)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName(Dns.GetHostName());
        foreach (var host in urls.Select(u => u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal))
            .Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : null)
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var address))
            {
                if (!address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any) && !IPAddress.IsLoopback(address))
                {
                    names.AddIpAddress(address);
                }
            }
            else if (host != "localhost")
            {
                names.AddDnsName(host);
            }
        }

        return names.Build();
    }
}

/// <summary>The fingerprint of the self-signed certificate this server serves, for the console's join command; not registered when the operator configured a certificate.</summary>
public sealed record ServerFingerprint(string Value);
