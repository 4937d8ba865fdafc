using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Fulcrum.Cli.Tests.Infrastructure;

/// <summary>Nodes as their agents make them: joined with a join token, then reporting a heartbeat.</summary>
public static class Agents
{
    /// <summary>Joins a node named <paramref name="name"/> to the cluster and reports <paramref name="vrrpState"/>; returns its id.</summary>
    public static async Task<string> JoinAsync(CliServer server, string clusterId, string name, string address, string vrrpState, string? lastError = null, bool lastErrorRetried = false)
    {
        using var admin = ApiClient(server, server.AdminToken);
        var token = (string)(await Json(await admin.PostAsJsonAsync("join-tokens", new { clusterId })))["secret"]!;
        var joined = await Json(await admin.PostAsJsonAsync("agent/join", new { token, address, @interface = "eth0", name }));
        using var agent = ApiClient(server, (string)joined["credential"]!);
        var heartbeat = await agent.PostAsJsonAsync("agent/heartbeat", new
        {
            appliedRevision = 0,
            lastError,
            lastErrorRevision = lastError is null ? (int?)null : 1,
            lastErrorRetried,
            vrrpState,
            versions = new { },
            backends = Array.Empty<object>(),
            listeners = Array.Empty<object>(),
        });
        heartbeat.EnsureSuccessStatusCode();
        return (string)joined["nodeId"]!;
    }

    /// <summary>The API as a node or another program calls it, pinned to the test server's certificate.</summary>
    public static HttpClient ApiClient(CliServer server, string bearer)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())) == server.Fingerprint;
        var client = new HttpClient(handler) { BaseAddress = new Uri(new Uri(server.Url), "/api/v1/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
