using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fulcrum.Deploy.Tests;

public sealed class PublishTests(PublishedPrograms published) : IClassFixture<PublishedPrograms>, IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private readonly DirectoryInfo _elsewhere = Directory.CreateTempSubdirectory("fulcrum-publish-cwd-");

    [Fact]
    public void Publish_MakesTheServerTheAgentAndTheCliAsSingleFiles()
    {
        Assert.Contains("fulcrum-server", published.Executables);
        Assert.Contains("fulcrum-agent", published.Executables);
        Assert.Contains("fulcrum", published.Executables);
        // One file each, beside what they read: no assemblies, native libraries or debug files to copy along.
        Assert.DoesNotContain(new DirectoryInfo(published.Directory).GetFiles(), f => f.Extension is ".dll" or ".so" or ".pdb" or ".xml");
    }

    [Fact]
    public void EveryProgram_Version_PrintsTheProductVersion()
    {
        foreach (var program in published.Executables)
        {
            using var run = ProgramRun.Start(Path.Combine(published.Directory, program), ["--version"], _elsewhere.FullName, Environment());

            Assert.True(run.WaitForExit(Limit) == 0, $"{program} --version failed:\n{run.Output}");
            var line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(published.Version)}(\\+[0-9a-f]+)?$", line);
        }
    }

    [Fact]
    public async Task Server_StartedFromAnotherDirectory_ServesHttpsWithTheFingerprintItPrintsAndAnswersHealth()
    {
        var keyRing = Path.Combine(_elsewhere.FullName, "key-ring.pem");
        File.WriteAllText(keyRing, KeyRingPem());
        var environment = Environment();
        environment["ASPNETCORE_URLS"] = "https://127.0.0.1:0";
        environment["Fulcrum__KeyRingCertificate"] = keyRing;

        using var server = ProgramRun.Start(Path.Combine(published.Directory, "fulcrum-server"), [], _elsewhere.FullName, environment);
        var listening = await server.LineAsync(l => l.Contains("Now listening on: https://", StringComparison.Ordinal), Limit);
        var url = listening[listening.IndexOf("https://", StringComparison.Ordinal)..].Trim();
        var pin = await server.LineAsync(l => l.Contains("--server-fingerprint ", StringComparison.Ordinal), Limit);
        var fingerprint = pin.Split("--server-fingerprint ")[1].Split(' ')[0];

        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && Fingerprint(certificate) == fingerprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = Limit };

        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal("ready", await http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        // appsettings.json beside the program was read: its relative data directory is the working directory's.
        Assert.True(File.Exists(Path.Combine(_elsewhere.FullName, "data", "server-certificate.pem")), server.Output);
        Assert.True(File.Exists(Path.Combine(_elsewhere.FullName, "data", "fulcrum.db")), server.Output);
        // The console's static files come from the publish output, wherever the server was started.
        foreach (var file in StaticFiles(Path.Combine(published.Directory, "wwwroot")).Take(20))
        {
            using var answer = await http.GetAsync(new Uri("/" + file, UriKind.Relative));
            Assert.True(answer.IsSuccessStatusCode, $"/{file}: {(int)answer.StatusCode}");
        }
    }

    [Fact]
    public void Publish_KeepsTheServersStaticFiles()
    {
        var served = StaticFiles(Path.Combine(published.Directory, "wwwroot"));
        Assert.All(StaticFiles(Path.Combine(published.Repository, "src", "Fulcrum.Server", "wwwroot")), file => Assert.Contains(file, served));
    }

    public void Dispose() => _elsewhere.Delete(recursive: true);

    /// <summary>A clean environment for the program: no settings of the developer's or of the test host leak in.</summary>
    private Dictionary<string, string?> Environment()
    {
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("Fulcrum__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                || name is "DOTNET_ENVIRONMENT" or "FULCRUM_ADMIN_TOKEN")
            .ToDictionary(name => name, _ => (string?)null);
        environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = published.ExtractDirectory;
        return environment;
    }

    /// <summary>Files under a wwwroot as URL paths, without the pre-compressed copies the server picks by Accept-Encoding.</summary>
    private static List<string> StaticFiles(string wwwroot) =>
        Directory.Exists(wwwroot)
            ? [.. Directory.EnumerateFiles(wwwroot, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetExtension(f) is not (".gz" or ".br"))
                .Select(f => Path.GetRelativePath(wwwroot, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)]
            : [];

    private static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(pair => new string(pair)));

    private static string KeyRingPem()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fulcrum-key-ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }
}
