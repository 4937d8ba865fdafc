using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Cli.Tests.Infrastructure;

/// <summary>
/// The real server on Kestrel, HTTPS on a loopback port of its own with the certificate it generates, on a SQLite
/// database in a temporary directory: the CLI reaches it over the network like it reaches any server.
/// </summary>
public sealed class CliServer : WebApplicationFactory<global::Program>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fulcrum-cli-test-").FullName;

    public CliServer()
    {
        UseKestrel();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Url = addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal));
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, "server-certificate.pem")));
        Fingerprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
    }

    public string AdminToken { get; } = "fulcrum-cli-test-admin-" + Guid.NewGuid().ToString("N");

    public string Url { get; }

    /// <summary>The server's self-signed certificate, which is its own CA.</summary>
    public string CertificateFile => Path.Combine(_directory, "server-certificate.pem");

    /// <summary>The SHA-256 of the server's certificate, which the CLI pins.</summary>
    public string Fingerprint { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(WebHostDefaults.ServerUrlsKey, "https://127.0.0.1:0");
        builder.UseSetting("FULCRUM_ADMIN_TOKEN", AdminToken);
        builder.UseSetting("Fulcrum:DataDirectory", _directory);
        // The nodes tests join heartbeat once: they stay online for a whole run, however busy the machine.
        builder.UseSetting("Fulcrum:NodeOfflineAfter", "00:10:00");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
