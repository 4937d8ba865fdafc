using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Text.Json;
using Fulcrum.Agent.Enrolment;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Agent.Control;

/// <summary>
/// The agent's side of the control channel: the long poll for snapshots, the heartbeat and credential rotation. Its
/// HttpClient validates the server's certificate with the node's <see cref="ServerTrust"/> (see Program.cs).
/// </summary>
public sealed class ServerClient(HttpClient http, NodeCredential credential, StateDirectory state)
{
    private (DateTime Written, string Secret) _secret = (DateTime.MinValue, credential.Secret);

    /// <summary>
    /// The cluster's snapshot once its revision passes <paramref name="after"/> (at once when it is null), or null
    /// when the wait ended first.
    /// </summary>
    public async Task<ClusterSnapshot?> WatchAsync(long? after, TimeSpan wait, CancellationToken ct)
    {
        var since = after is { } revision ? $"after={revision}&" : "";
        using var request = Request(HttpMethod.Get, $"api/v1/agent/snapshot?{since}waitSeconds={(int)wait.TotalSeconds}");
        using var response = await SendAsync(http, request, ct);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<ClusterSnapshot>(FulcrumJson.Options, ct);
    }

    public async Task<HeartbeatResponse> HeartbeatAsync(NodeReport report, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "api/v1/agent/heartbeat");
        request.Content = JsonContent.Create(report, options: FulcrumJson.Options);
        using var response = await SendAsync(http, request, ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<HeartbeatResponse>(FulcrumJson.Options, ct) ?? new HeartbeatResponse(false);
    }

    /// <summary>
    /// Trades this node's credential for a new one (the old one stops working at once) and keeps it in the state
    /// directory, where a running agent picks it up.
    /// </summary>
    public async Task RotateCredentialAsync(CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "api/v1/agent/credential");
        using var response = await SendAsync(http, request, ct);
        await EnsureSuccessAsync(response, ct);
        var rotated = (await response.Content.ReadFromJsonAsync<AgentJoinResponse>(FulcrumJson.Options, ct))!;
        var current = StateDirectory.Read<NodeCredential>(state.CredentialFile) ?? credential;
        StateDirectory.WritePrivate(state.CredentialFile, current with { Secret = rotated.Credential });
    }

    /// <summary>Sends, saying plainly when the server's certificate is not the one this node trusts (a TLS failure says little).</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            throw new HttpRequestException($"{request.RequestUri?.GetLeftPart(UriPartial.Authority)} presented a certificate this node does not trust (not the pinned fingerprint or CA); refusing to talk to it.", e);
        }
    }

    public static async Task<string> DescribeFailureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var errors = root.TryGetProperty("errors", out var e) ? " " + e.GetRawText() : "";
            return $"{(int)response.StatusCode} {detail ?? title}{errors}";
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(credential.Server, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CurrentSecret());
        return request;
    }

    /// <summary>The secret in the credential file, re-read when the file changes: a rotation takes effect without a restart.</summary>
    private string CurrentSecret()
    {
        var written = File.GetLastWriteTimeUtc(state.CredentialFile);
        if (written != _secret.Written && StateDirectory.Read<NodeCredential>(state.CredentialFile) is { } stored)
        {
            _secret = (written, stored.Secret);
        }

        return _secret.Secret;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The server answered {await DescribeFailureAsync(response, ct)}", null, response.StatusCode);
        }
    }
}
