using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Tests.Infrastructure;

namespace Fulcrum.Cli.Tests;

[Collection(CliServerCollection.Name)]
public sealed class LogsTests(CliServer server) : IDisposable
{
    private readonly CliRunner _cli = new(server);

    [Fact]
    public async Task LogsListener_ShowsTheLinesTheMasterReported_AsATableAndAsJson()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 74);
        var (lb, listener) = (Names.Fresh("lb"), Names.Fresh("listener"));
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);
        await _cli.SucceedsAsync("create", "listener", "--load-balancer", lb, "--name", listener, "--protocol", "http", "--port", "80", "--access-log");
        var listenerId = (string)JsonNode.Parse((await _cli.SucceedsAsync("get", "listener", listener, "-o", "json")).Out)!["id"]!;
        var clusterId = (string)JsonNode.Parse((await _cli.SucceedsAsync("get", "cluster", cluster, "-o", "json")).Out)!["id"]!;
        await MasterReportsAsync(clusterId, listenerId, "/cart?item=7");

        var table = await _cli.SucceedsAsync("logs", "listener", listener);
        var json = await _cli.SucceedsAsync("logs", "listener", listener, "--limit", "1", "-o", "json");
        var shown = await _cli.SucceedsAsync("get", "listener", listener, "-o", "json");

        var rows = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("TIME", rows[0], StringComparison.Ordinal);
        Assert.Contains("198.18.0.100:40000", rows[1], StringComparison.Ordinal);
        Assert.Contains("GET /cart?item=7", rows[1], StringComparison.Ordinal);
        using var lines = JsonDocument.Parse(json.Out);
        var line = Assert.Single(lines.RootElement.EnumerateArray());
        Assert.Equal((200, 12), (line.GetProperty("status").GetInt32(), line.GetProperty("totalMs").GetInt32()));
        Assert.True(JsonNode.Parse(shown.Out)!["accessLog"]!.GetValue<bool>());
    }

    [Fact]
    public async Task LogsListener_BadLimit_IsAValidationError()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 75);
        var (lb, listener) = (Names.Fresh("lb"), Names.Fresh("listener"));
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);
        await _cli.SucceedsAsync("create", "listener", "--load-balancer", lb, "--name", listener, "--protocol", "tcp", "--port", "5432");

        var result = await _cli.RunAsync("logs", "listener", listener, "--limit", "0");

        Assert.Equal(ExitCodes.Validation, result.ExitCode);
        Assert.Contains("limit", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();

    private async Task MasterReportsAsync(string clusterId, string listenerId, string uri)
    {
        using var http = ServerClient(server.AdminToken);
        var token = (string)(await (await http.PostAsJsonAsync("join-tokens", new { clusterId })).Content.ReadFromJsonAsync<JsonObject>())!["secret"]!;
        var joined = await (await http.PostAsJsonAsync("agent/join", new { token, address = "198.18.0.74", @interface = "eth0" })).Content.ReadFromJsonAsync<JsonObject>();
        using var agent = ServerClient((string)joined!["credential"]!);
        var heartbeat = await agent.PostAsJsonAsync("agent/heartbeat", new
        {
            appliedRevision = 0,
            vrrpState = "MASTER",
            versions = new { },
            backends = Array.Empty<object>(),
            listeners = Array.Empty<object>(),
            accessLogs = new[]
            {
                new
                {
                    listenerId,
                    lines = new[]
                    {
                        new { time = "2026-12-03T12:00:00.125Z", listenerId, protocol = "http", clientAddress = "198.18.0.100", clientPort = 40000, status = 200, totalMs = 12, method = "GET", uri },
                    },
                },
            },
        });
        heartbeat.EnsureSuccessStatusCode();
    }

    private HttpClient ServerClient(string bearer)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())) == server.Fingerprint;
        var client = new HttpClient(handler) { BaseAddress = new Uri(new Uri(server.Url), "/api/v1/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }
}
