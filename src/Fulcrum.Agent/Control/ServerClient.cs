using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fulcrum.Agent.Enrolment;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Agent.Control;

/// <summary>The agent's side of the control channel: the long poll for snapshots and the heartbeat.</summary>
public sealed class ServerClient(HttpClient http, NodeCredential credential)
{
    /// <summary>
    /// The cluster's snapshot once its revision passes <paramref name="after"/> (at once when it is null), or null
    /// when the wait ended first.
    /// </summary>
    public async Task<ClusterSnapshot?> WatchAsync(long? after, TimeSpan wait, CancellationToken ct)
    {
        var since = after is { } revision ? $"after={revision}&" : "";
        using var request = Request(HttpMethod.Get, $"api/v1/agent/snapshot?{since}waitSeconds={(int)wait.TotalSeconds}");
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<ClusterSnapshot>(FulcrumJson.Options, ct);
    }

    public async Task HeartbeatAsync(NodeReport report, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "api/v1/agent/heartbeat");
        request.Content = JsonContent.Create(report, options: FulcrumJson.Options);
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
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
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Secret);
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The server answered {await DescribeFailureAsync(response, ct)}", null, response.StatusCode);
        }
    }
}
