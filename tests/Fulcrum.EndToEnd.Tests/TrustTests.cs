using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// The control channel on TLS with a pinned certificate, and the secrets of a whole run: node files holding keys or
/// credentials are 0600, and nothing secret appears in what the server and the agents said, at any log level.
/// </summary>
public sealed class TrustTests(ITestOutputHelper output)
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task PinnedAgent_AgainstTheHttpsServer_Serves_KeepsItsFilesPrivate_AndNothingSecretIsLogged()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 207, nodes: 1, backends: 1, logLevel: "Trace");
        try
        {
            var node = lab.Nodes[0];
            var pem = SelfSignedCertificate.Create("secret.lab.test");
            var lb = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = "web" });
            var web = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "web" });
            await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = lab.Backends[0].Address, port = LabDeployment.BackendHttpPort });
            var certificate = await lab.CreateAsync<CertificateResponse>("certificates", new { projectId = lab.Project.Id, name = "secret", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id });
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "https", protocol = "https", port = 443, defaultBackendGroupId = web.Id, tls = new { certificateId = certificate.Id } });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, $"http://{lb.Vip}/"), TimeSpan.FromSeconds(30), () => "the pinned node never served the VIP");

            var stored = File.ReadAllText(Path.Combine(node.StateDirectory, "credential.json"));
            Assert.Contains(lab.ServerFingerprint.Replace(":", "", StringComparison.Ordinal), stored, StringComparison.Ordinal);
            var originalCredential = Credential(node);
            var rotate = lab.Network.Start("rotate", node.Host, "dotnet", [Programs.Agent, "rotate-credential", "--state-dir", node.StateDirectory]);
            await Eventually.TrueAsync(() => Task.FromResult(rotate.HasExited), TimeSpan.FromSeconds(30), () => $"rotate-credential did not finish:\n{rotate.Output()}");
            var rotatedCredential = Credential(node);
            Assert.NotEqual(originalCredential, rotatedCredential);
            var rotatedAt = DateTimeOffset.UtcNow;
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).LastSeenAt > rotatedAt.AddSeconds(1),
                TimeSpan.FromSeconds(20),
                () => "the running agent did not go on with its rotated credential");

            var privateFiles = new[] { Path.Combine(node.StateDirectory, "credential.json"), Path.Combine(node.StateDirectory, "snapshot.json") }
                .Concat(Directory.GetFiles(Path.Combine(node.StateDirectory, "generations"), "*.pem", SearchOption.AllDirectories))
                .ToList();
            Assert.Contains(privateFiles, f => f.EndsWith(".pem", StringComparison.Ordinal));
            Assert.All(privateFiles, f => Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(f)));

            var logs = lab.Network.Transcripts();
            output.WriteLine($"{logs.Length} characters of logs from {lab.Network.Processes.Count} processes");
            string[] secrets = [lab.AdminToken, .. lab.JoinTokens, originalCredential, rotatedCredential, .. KeyLines(pem.PrivateKeyPem)];
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, logs, StringComparison.Ordinal));
            Assert.Contains("Executed DbCommand", logs, StringComparison.Ordinal);
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    [Fact]
    public async Task PinnedAgent_ServerWithAnotherCertificate_IsRefused()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 208, nodes: 1, backends: 1);
        try
        {
            var node = lab.Nodes[0];
            await Eventually.TrueAsync(async () => (await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).Online, TimeSpan.FromSeconds(30), () => "the node never came online");
            var pinned = lab.ServerFingerprint;

            await lab.RestartServerWithAnotherCertificateAsync();

            Assert.NotEqual(pinned, lab.ServerFingerprint);
            await Eventually.TrueAsync(
                () => Task.FromResult(node.Agent.Output().Contains("does not trust", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30),
                () => $"the agent never refused the other certificate:\n{node.Agent.Output()}");
            await Eventually.TrueAsync(
                async () => !(await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).Online,
                TimeSpan.FromSeconds(30),
                () => "the node kept reporting to a server whose certificate it does not trust");
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    private static string Credential(LabNode node) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(node.StateDirectory, "credential.json"))).RootElement.GetProperty("secret").GetString()!;

    /// <summary>The base64 lines of a PEM private key: any of them in a log would be a leak.</summary>
    private static IEnumerable<string> KeyLines(string pem) =>
        pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal));
}
