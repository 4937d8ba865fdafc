using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Lab.Network;

namespace Fulcrum.Lab;

/// <summary>The built programs a deployment runs: the server, the agent and the lab's own backends (as .dll paths).</summary>
public sealed record LabPrograms(string Server, string Agent, string Lab)
{
    /// <summary>The programs as <c>dotnet build</c> left them in this repository, for one configuration (Debug, Release).</summary>
    public static LabPrograms Built(string repository, string configuration)
    {
        string Output(string project, string assembly) => Path.Combine(repository, "src", project, "bin", configuration, "net10.0", assembly);
        return new(Output("Fulcrum.Server", "fulcrum-server.dll"), Output("Fulcrum.Agent", "fulcrum-agent.dll"), Output("Fulcrum.Lab", "fulcrum-lab.dll"));
    }

    /// <summary>The repository a program runs from (the directory holding <c>Fulcrum.slnx</c>, above its build output).</summary>
    public static string Repository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Fulcrum.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Fulcrum.slnx) was not found.");
    }

    /// <summary>The configuration a program was built in: the name of its output directory's parent (bin/Release/net10.0).</summary>
    public static string Configuration() => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
}

public sealed record LabNode(LabHost Host, string StateDirectory, LabProcess Agent, string NodeId);

/// <summary>
/// A whole deployment on one machine: the control plane on the host (SQLite in a temporary directory) serving HTTPS
/// with the self-signed certificate it makes on its first start, a cluster of nodes each running <c>fulcrum-agent</c>
/// in its own namespace with its own state directory and that certificate's fingerprint pinned — as the README tells
/// an operator to do — sample backends, and a client namespace to send traffic from. Disposing tears it all down,
/// also when a test failed.
/// </summary>
public sealed class LabDeployment : IAsyncDisposable
{
    public const int BackendHttpPort = 8080;
    public const int BackendTcpPort = 9000;
    public const int BackendUdpPort = 5353;

    private readonly string _directory = Directory.CreateTempSubdirectory("fulcrum-lab-").FullName;
    private readonly Dictionary<string, (LabHost Host, string[] Arguments)> _backends = new(StringComparer.Ordinal);

    private readonly string? _publicUrl;
    private readonly Dictionary<string, string> _logging;

    private LabDeployment(LabNetwork network, LabPrograms programs, string? adminToken, string? publicUrl, string? logLevel)
    {
        Network = network;
        Programs = programs;
        AdminToken = adminToken ?? "lab-admin-" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        _publicUrl = publicUrl;
        _logging = logLevel is null ? [] : new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = logLevel,
            ["Logging__LogLevel__Microsoft"] = logLevel,
            ["Logging__LogLevel__Microsoft.AspNetCore"] = logLevel,
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = logLevel,
            ["Logging__LogLevel__System.Net.Http"] = logLevel,
        };
    }

    public LabNetwork Network { get; }

    public LabPrograms Programs { get; }

    public string AdminToken { get; }

    public Uri ServerUrl { get; private set; } = null!;

    public LabProcess Server { get; private set; } = null!;

    /// <summary>The SHA-256 fingerprint the control plane printed for its certificate, which every node pins.</summary>
    public string ServerFingerprint { get; private set; } = null!;

    /// <summary>The control plane's certificate (PEM), e.g. for <c>curl --cacert</c>.</summary>
    public string ServerCertificateFile => Path.Combine(_directory, "server", "server-certificate.pem");

    /// <summary>The join tokens the lab handed to its nodes (secrets: for the test that looks for them in the logs).</summary>
    public List<string> JoinTokens { get; } = [];

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The bearer token the control plane's <c>/metrics</c> answers.</summary>
    public string MetricsToken { get; } = "lab-metrics-" + Guid.NewGuid().ToString("N");

    /// <summary>Where every node's agent serves its metrics, on the loopback of the node's own namespace.</summary>
    public const string AgentMetricsListen = "127.0.0.1:9464";

    public ClusterResponse Cluster { get; private set; } = null!;

    public ProjectResponse Project { get; private set; } = null!;

    public List<LabNode> Nodes { get; } = [];

    public List<LabHost> Backends { get; } = [];

    public LabHost Client { get; private set; } = null!;

    /// <summary>The control plane's SQLite database, for tests that must force a snapshot past the API.</summary>
    public string ServerDatabase => Path.Combine(_directory, "server", "fulcrum.db");

    /// <summary>The VIPs the cluster hands out: the top of the lab's /24, on the same LAN as the nodes.</summary>
    public string VipPool => $"{Network.Address(200)}-{Network.Address(250)}";

    /// <param name="publicUrl">Where the control plane also listens for people (the demo's <c>https://127.0.0.1:8080</c>).</param>
    /// <param name="logLevel">A log level for the server and the agents (e.g. <c>Trace</c>); the lab then keeps all they say.</param>
    public static async Task<LabDeployment> StartAsync(
        LabPrograms programs, int subnet, int nodes = 2, int backends = 3, int advertIntervalMs = 100, string? adminToken = null, string? publicUrl = null, string? logLevel = null)
    {
        var network = await LabNetwork.CreateAsync(subnet);
        network.KeepEverything = logLevel is not null;
        var deployment = new LabDeployment(network, programs, adminToken, publicUrl, logLevel);
        try
        {
            await deployment.StartServerAsync();
            // Room for the scale tests (tens of thousands of backends): the defaults are a tenant's, not a benchmark's.
            deployment.Project = await deployment.CreateAsync<ProjectResponse>("projects", new
            {
                name = "lab",
                quotas = new { loadBalancers = 1_000, listeners = 20_000, backends = 100_000, certificates = 1_000, aclEntries = 100_000 },
            });
            deployment.Cluster = await deployment.CreateAsync<ClusterResponse>("clusters", new
            {
                name = "lab",
                vrrp = new { virtualRouterId = 51, advertIntervalMs },
                vipPools = new[] { deployment.VipPool },
            });
            for (var i = 0; i < backends; i++)
            {
                await deployment.AddBackendAsync($"be{i + 1}");
            }

            deployment.Client = await deployment.Network.AddHostAsync("client");
            for (var i = 0; i < nodes; i++)
            {
                await deployment.StartNodeAsync($"node{(char)('a' + i)}");
            }

            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    public async Task<T> CreateAsync<T>(string path, object body)
    {
        using var response = await Admin.PostAsJsonAsync(path, body, FulcrumJson.Options);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(FulcrumJson.Options))!;
    }

    public async Task<T> GetAsync<T>(string path) => (await Admin.GetFromJsonAsync<T>(path, FulcrumJson.Options))!;

    /// <summary>Starts (or restarts) a node's agent on its existing state directory.</summary>
    public LabProcess StartAgent(LabHost host, string stateDirectory) =>
        Network.Start(
            $"agent {host.Namespace}", host, "dotnet", [Programs.Agent, "run", "--state-dir", stateDirectory, "--heartbeat-seconds", "1", "--metrics-listen", AgentMetricsListen], _logging);

    /// <summary>
    /// Adds a backend host to the lab (to <see cref="Backends"/>) and starts its sample backend, named
    /// <paramref name="name"/>; with <paramref name="proxyProtocol"/> its TCP port expects a PROXY protocol header.
    /// </summary>
    public async Task<LabHost> AddBackendAsync(string name, bool proxyProtocol = false)
    {
        var host = await Network.AddHostAsync(name);
        string[] arguments = [Programs.Lab, "serve", "--name", name, "--http", $"{BackendHttpPort}", "--tcp", $"{BackendTcpPort}", "--udp", $"{BackendUdpPort}"];
        _backends[name] = (host, proxyProtocol ? [.. arguments, "--proxy-protocol"] : arguments);
        await StartBackendAsync(name);
        Backends.Add(host);
        return host;
    }

    /// <summary>Ends a sample backend's process (SIGKILL), keeping its host on the LAN: connections to it are refused.</summary>
    public Task StopBackendAsync(string name) => Network.Processes.Last(p => p.Name == name).KillAsync();

    /// <summary>Starts a stopped sample backend again in its namespace, as it was first started, and waits until it serves.</summary>
    public async Task RestartBackendAsync(string name)
    {
        await StopBackendAsync(name);
        await StartBackendAsync(name);
    }

    /// <summary>Starts the control plane again on its existing data (after a test stopped it).</summary>
    public async Task RestartServerAsync()
    {
        await Server.KillAsync();
        await StartServerAsync(ServerUrl.Port);
    }

    /// <summary>
    /// Starts the control plane again at the same address with a new self-signed certificate — what an impostor
    /// there would present to the nodes, whose pins name the old one.
    /// </summary>
    public async Task RestartServerWithAnotherCertificateAsync()
    {
        await Server.KillAsync();
        File.Delete(ServerCertificateFile);
        await StartServerAsync(ServerUrl.Port);
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        await Network.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task StartServerAsync(int port = 0)
    {
        Server = Network.Start("server", null, "dotnet", [Programs.Server], new Dictionary<string, string>(_logging)
        {
            ["ASPNETCORE_URLS"] = $"https://{Network.HostAddress}:{port}" + (_publicUrl is null ? "" : ";" + _publicUrl),
            // As ./run starts it, whatever the environment of whoever started the lab: the console's files must be
            // served from the build output in Production too.
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["FULCRUM_ADMIN_TOKEN"] = AdminToken,
            ["Fulcrum__DataDirectory"] = Path.Combine(_directory, "server"),
            ["Fulcrum__KeyRingCertificate"] = KeyRingCertificate(),
            ["Fulcrum__NodeOfflineAfter"] = "00:00:05",
            ["Fulcrum__MetricsToken"] = MetricsToken,
        });
        var pinned = await WaitForAsync(Server, new Regex("--server-fingerprint (?<fingerprint>[0-9A-F:]{95})"), TimeSpan.FromSeconds(60));
        ServerFingerprint = pinned.Groups["fingerprint"].Value;
        var listening = await WaitForAsync(Server, new Regex($@"Now listening on: (?<url>https://{Regex.Escape(Network.HostAddress)}:[0-9]+)"), TimeSpan.FromSeconds(60));
        ServerUrl = new Uri(listening.Groups["url"].Value);
        Admin?.Dispose();
        var fingerprint = Convert.FromHexString(ServerFingerprint.Replace(":", "", StringComparison.Ordinal));
        var pinnedHandler = new SocketsHttpHandler();
        pinnedHandler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && SHA256.HashData(certificate.GetRawCertData()).AsSpan().SequenceEqual(fingerprint);
        Admin = new HttpClient(pinnedHandler) { BaseAddress = new Uri(ServerUrl, "/api/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    /// <summary>The certificate that encrypts the server's key ring, made once per lab (the server refuses to start without one).</summary>
    private string KeyRingCertificate()
    {
        var file = Path.Combine(_directory, "key-ring.pem");
        if (!File.Exists(file))
        {
            using var key = RSA.Create(2048);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=fulcrum lab key ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllText(file, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return file;
    }

    private async Task StartBackendAsync(string name)
    {
        var (host, arguments) = _backends[name];
        var process = Network.Start(name, host, "dotnet", arguments);
        await WaitForAsync(process, new Regex($"{name} ready"), TimeSpan.FromSeconds(30));
    }

    /// <summary>Adds a node to the lab and to the cluster: a host of its own, joined with a fresh join token, its agent running.</summary>
    public async Task<LabNode> StartNodeAsync(string name)
    {
        var host = await Network.AddHostAsync(name);
        Nodes.Add(await JoinAsync(host, Path.Combine(_directory, name), Cluster.Id, name));
        return Nodes[^1];
    }

    /// <summary>Joins a host to a cluster with the state directory given (a new one, or one left by an earlier join) and starts its agent.</summary>
    public async Task<LabNode> JoinAsync(LabHost host, string stateDirectory, string clusterId, string name)
    {
        var token = await CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId, description = name });
        JoinTokens.Add(token.Secret!);
        var join = Network.Start($"join {name}", host, "dotnet",
        [
            Programs.Agent, "join", "--server", ServerUrl.ToString(), "--server-fingerprint", ServerFingerprint, "--token", token.Secret!,
            "--address", host.Address, "--interface", "eth0", "--name", name, "--state-dir", stateDirectory,
        ], _logging);
        var joined = await WaitForAsync(join, new Regex(@"as node (?<id>node-[a-z0-9]+)"), TimeSpan.FromSeconds(30));
        return new LabNode(host, stateDirectory, StartAgent(host, stateDirectory), joined.Groups["id"].Value);
    }

    private static async Task<Match> WaitForAsync(LabProcess process, Regex pattern, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (true)
        {
            var match = pattern.Match(process.Output());
            if (match.Success)
            {
                return match;
            }

            if (process.HasExited)
            {
                // A short-lived program (join) may have printed the line just before it exited.
                using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(drained.Token);
                match = pattern.Match(process.Output());
                return match.Success ? match : throw new InvalidOperationException($"{process.Name} exited without printing {pattern}:\n{process.Output()}");
            }

            if (deadline.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{process.Name} did not print {pattern}:\n{process.Output()}");
            }

            await tick.WaitForNextTickAsync(CancellationToken.None);
        }
    }
}
