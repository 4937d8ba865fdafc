using System.Diagnostics;
using System.Text;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.Bench;

/// <summary>The API calls the benchmarks make against a lab's control plane, and waits for what the API reports.</summary>
public static class BenchApi
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static Task<BackendResponse> CreateBackendAsync(this LabDeployment lab, BackendGroupResponse group, string address, int port = LabDeployment.BackendHttpPort) =>
        lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = group.Id, address, port });

    public static Task<ListenerResponse> CreateListenerAsync(this LabDeployment lab, LoadBalancerResponse lb, BackendGroupResponse group, int port, ListenerProtocol protocol = ListenerProtocol.Http, object? tls = null) =>
        lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = $"p{port}", protocol, port, defaultBackendGroupId = group.Id, tls });

    /// <summary>A JSON merge patch (RFC 7396) of the resource at <paramref name="path"/>.</summary>
    public static async Task PatchAsync(this LabDeployment lab, string path, object changes)
    {
        using var content = new StringContent(System.Text.Json.JsonSerializer.Serialize(changes, FulcrumJson.Options), Encoding.UTF8, "application/merge-patch+json");
        using var response = await lab.Admin.PatchAsync(path, content);
        await EnsureAsync(response, "PATCH", path);
    }

    public static async Task DeleteAsync(this LabDeployment lab, string path)
    {
        using var response = await lab.Admin.DeleteAsync(path);
        await EnsureAsync(response, "DELETE", path);
    }

    /// <summary>Waits until every node of the lab reports the cluster's current revision applied, without an error.</summary>
    public static async Task CaughtUpAsync(this LabDeployment lab, TimeSpan? deadline = null)
    {
        var revision = await lab.RevisionAsync();
        await Eventually.TrueAsync(
            async () => (await lab.NodesAsync()).All(n => n.AppliedRevision >= revision && n.LastError is null),
            deadline ?? Deadline,
            () => $"the nodes never applied revision {revision}");
    }

    /// <summary>How long after <paramref name="clock"/> started every node reported <paramref name="revision"/> applied.</summary>
    public static async Task<TimeSpan> AppliedEverywhereAsync(this LabDeployment lab, long revision, Stopwatch clock)
    {
        await Eventually.TrueAsync(async () => (await lab.NodesAsync()).All(n => n.AppliedRevision >= revision), Deadline, () => $"revision {revision} never reached every node");
        return clock.Elapsed;
    }

    /// <summary>What the node's agent serves at its metrics address, scraped from inside the node's namespace.</summary>
    public static async Task<IReadOnlyList<Sample>> AgentMetricsAsync(this LabNode node)
    {
        using var sockets = new NamespaceSockets(node.Host.Namespace);
        using var http = sockets.HttpClient(TimeSpan.FromSeconds(10));
        return Scrape.Parse(await http.GetStringAsync($"http://{LabDeployment.AgentMetricsListen}/metrics"));
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string method, string path)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
