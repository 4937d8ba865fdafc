using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Lab;

namespace Fulcrum.Bench.Scenarios;

/// <summary>
/// Benchmark 6: the control plane alone (SQLite, as <c>./run</c> starts it) — API writes per second and their
/// latency, and 1,000 simulated agents long-polling one cluster: how long until every one holds a new revision.
/// </summary>
public sealed class ControlPlane(BenchContext context)
{
    private const int Subnet = 249;
    private static readonly int[] Writers = [1, 8];
    private const int Watchers = 1000;

    /// <summary>VRRP gives a cluster at most 254 node priorities: the watchers are spread over four clusters.</summary>
    private const int NodesPerCluster = 250;
    private static readonly TimeSpan WriteFor = TimeSpan.FromSeconds(15);

    public async Task RunAsync()
    {
        var section = context.Report.Begin(
            "6. Control plane",
            $"The server on SQLite, no nodes. **Writes**: one client, then {Writers[^1]} at once, create backends in one group as fast as the server answers, for " +
            $"{WriteFor.TotalSeconds:F0} s (each write moves the cluster's revision). **Watchers**: {Watchers:N0} nodes enrolled with join tokens, as agents " +
            $"do, {NodesPerCluster} to a cluster (a cluster holds at most 254: one VRRP priority each), each with a long poll for its cluster's next " +
            "snapshot held open on its own connection; then one write to each cluster at once, and the time from the writes until each long poll answered with " +
            "its cluster's new revision.");
        await using var lab = await LabDeployment.StartAsync(context.Programs, Subnet, nodes: 0, backends: 1);
        var server = Procfs.Tree(lab.Server.Pid);
        var lb = await lab.CreateLoadBalancerAsync("writes");
        var group = await lab.CreateGroupAsync(lb, "writes");

        var rows = new List<IEnumerable<string>>();
        var port = 1024;
        foreach (var writers in Writers)
        {
            var latencies = new ConcurrentBag<TimeSpan>();
            var writing = Stopwatch.StartNew();
            var cpuBefore = Procfs.Cpu(server);
            await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
            {
                while (writing.Elapsed < WriteFor)
                {
                    var started = writing.Elapsed;
                    await lab.CreateBackendAsync(group, lab.Backends[0].Address, Interlocked.Increment(ref port));
                    latencies.Add(writing.Elapsed - started);
                }
            }));
            var busy = (Procfs.Cpu(server) - cpuBefore) / writing.Elapsed * 100;
            rows.Add(["SQLite", $"{writers}", $"{latencies.Count / writing.Elapsed.TotalSeconds:N0}", .. Distribution.Of(latencies).Cells(), $"{busy:F0}", $"{Procfs.ResidentMiB(server):F0}"]);
        }

        section.Table(["database", "writers", "writes/s", .. Distribution.Headers, "server CPU %", "server MiB"], rows);

        var (answered, cpu, memory) = await WatchersAsync(lab, server);
        section.Table(["watchers", .. Distribution.Headers.Select(h => "answered " + h), "server CPU % meanwhile", "server MiB"], [[$"{Watchers:N0}", .. answered.Cells(), $"{cpu:F0}", $"{memory:F0}"]]);
        section.Line("PostgreSQL is not measured here yet: the lab runs the server on SQLite only.");
        await context.Report.EndAsync(section);
    }

    private static async Task<(Distribution Answered, double Cpu, double Memory)> WatchersAsync(LabDeployment lab, IReadOnlyList<int> server)
    {
        var fingerprint = Convert.FromHexString(lab.ServerFingerprint.Replace(":", "", StringComparison.Ordinal));
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Watchers * 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && SHA256.HashData(certificate.GetRawCertData()).AsSpan().SequenceEqual(fingerprint);
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(lab.ServerUrl, "/api/v1/"), Timeout = TimeSpan.FromSeconds(90) };
        var watched = new List<(string ClusterId, long Revision, List<string> Credentials)>();
        for (var c = 0; c < Watchers / NodesPerCluster; c++)
        {
            var cluster = await lab.CreateAsync<ClusterResponse>("clusters", new { name = $"watched-{c}", vrrp = new { virtualRouterId = 100 + c }, vipPools = new[] { $"198.19.{c}.0/24" } });
            var token = await lab.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id, maxUses = NodesPerCluster });
            var credentials = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(Enumerable.Range(0, NodesPerCluster), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                using var join = await http.PostAsJsonAsync("agent/join", new { token = token.Secret, address = $"10.{200 + c}.0.{i + 1}", @interface = "eth0", name = $"watcher-{c}-{i}" }, FulcrumJson.Options, ct);
                if (!join.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"join {i}: {(int)join.StatusCode} {await join.Content.ReadAsStringAsync(ct)}");
                }

                credentials.Add((await join.Content.ReadFromJsonAsync<AgentJoinResponse>(FulcrumJson.Options, ct))!.Credential);
            });
            watched.Add((cluster.Id, await lab.RevisionAsync(cluster.Id), [.. credentials]));
        }

        var clock = new Stopwatch();
        var polls = watched.SelectMany(w => w.Credentials.Select(async credential =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"agent/snapshot?after={w.Revision}&waitSeconds=60");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
            using var response = await http.SendAsync(request);
            var answeredAt = clock.Elapsed;
            return response.StatusCode == HttpStatusCode.OK ? answeredAt : (TimeSpan?)null;
        })).ToList();
        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(watched.Select(w => WatchingAsync(lab, w.ClusterId)))).Sum() >= Watchers,
            TimeSpan.FromSeconds(60),
            () => $"the {Watchers} long polls never all waited");
        var cpuBefore = Procfs.Cpu(server);
        clock.Start();
        await Task.WhenAll(watched.Select(w => lab.CreateLoadBalancerAsync("moved", w.ClusterId)));
        var answers = await Task.WhenAll(polls);
        var cpu = (Procfs.Cpu(server) - cpuBefore) / clock.Elapsed * 100;
        if (answers.Any(a => a is null))
        {
            throw new InvalidOperationException($"{answers.Count(a => a is null)} long polls ended without the new revision");
        }

        return (Distribution.Of(answers.Select(a => a!.Value)), cpu, Procfs.ResidentMiB(server));
    }

    /// <summary>Long polls the server holds for the cluster, from its own <c>/metrics</c>.</summary>
    private static async Task<double> WatchingAsync(LabDeployment lab, string clusterId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", lab.MetricsToken);
        using var response = await lab.Admin.SendAsync(request);
        return Scrape.Parse(await response.Content.ReadAsStringAsync()).Named("fulcrum_watchers", ("cluster_id", clusterId)).Sum(s => s.Value);
    }
}
