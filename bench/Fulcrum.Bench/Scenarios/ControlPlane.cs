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
    private const int Writers = 8;
    private const int Watchers = 1000;
    private static readonly string[] WatchedVips = ["198.19.0.0/24"];
    private static readonly TimeSpan WriteFor = TimeSpan.FromSeconds(15);

    public async Task RunAsync()
    {
        var section = context.Report.Begin(
            "6. Control plane",
            $"The server on SQLite, no nodes. **Writes**: {Writers} clients create backends in one group as fast as the server answers, for " +
            $"{WriteFor.TotalSeconds:F0} s (each write moves the cluster's revision). **Watchers**: {Watchers:N0} nodes enrolled in a cluster of their own " +
            "(with join tokens, as agents do), each with a long poll for the next snapshot held open on its own connection; then one write to that " +
            "cluster, and the time until each long poll answered with the new revision.");
        await using var lab = await LabDeployment.StartAsync(context.Programs, Subnet, nodes: 0, backends: 1);
        var server = Procfs.Tree(lab.Server.Pid);
        var lb = await lab.CreateLoadBalancerAsync("writes");
        var group = await lab.CreateGroupAsync(lb, "writes");

        var latencies = new ConcurrentBag<TimeSpan>();
        var writing = Stopwatch.StartNew();
        var cpuBefore = Procfs.Cpu(server);
        var port = 1024;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            while (writing.Elapsed < WriteFor)
            {
                var started = writing.Elapsed;
                await lab.CreateBackendAsync(group, lab.Backends[0].Address, Interlocked.Increment(ref port));
                latencies.Add(writing.Elapsed - started);
            }
        }));
        var writeCpu = (Procfs.Cpu(server) - cpuBefore) / writing.Elapsed * 100;
        var writes = Distribution.Of(latencies);
        section.Table(
            ["database", "writers", "writes/s", .. Distribution.Headers, "server CPU %", "server MiB"],
            [["SQLite", $"{Writers}", $"{latencies.Count / writing.Elapsed.TotalSeconds:N0}", .. writes.Cells(), $"{writeCpu:F0}", $"{Procfs.ResidentMiB(server):F0}"]]);

        var (answered, cpu, memory) = await WatchersAsync(lab, server);
        section.Table(["watchers", .. Distribution.Headers.Select(h => "answered " + h), "server CPU % meanwhile", "server MiB"], [[$"{Watchers:N0}", .. answered.Cells(), $"{cpu:F0}", $"{memory:F0}"]]);
        section.Line("PostgreSQL is not measured here yet: the lab runs the server on SQLite only.");
        await context.Report.EndAsync(section);
    }

    private static async Task<(Distribution Answered, double Cpu, double Memory)> WatchersAsync(LabDeployment lab, IReadOnlyList<int> server)
    {
        var cluster = await lab.CreateAsync<ClusterResponse>("clusters", new { name = "watched", vrrp = new { virtualRouterId = 52 }, vipPools = WatchedVips });
        var token = await lab.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id, maxUses = Watchers });
        var fingerprint = Convert.FromHexString(lab.ServerFingerprint.Replace(":", "", StringComparison.Ordinal));
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Watchers * 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && SHA256.HashData(certificate.GetRawCertData()).AsSpan().SequenceEqual(fingerprint);
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(lab.ServerUrl, "/api/v1/"), Timeout = TimeSpan.FromSeconds(90) };
        var credentials = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Watchers), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var join = await http.PostAsJsonAsync("agent/join", new { token = token.Secret, address = $"10.{200 + (i / 65536)}.{i / 256 % 256}.{i % 256 + 1}", @interface = "eth0", name = $"watcher{i}" }, FulcrumJson.Options, ct);
            join.EnsureSuccessStatusCode();
            credentials.Add((await join.Content.ReadFromJsonAsync<AgentJoinResponse>(FulcrumJson.Options, ct))!.Credential);
        });
        var revision = await lab.RevisionAsync(cluster.Id);
        var clock = new Stopwatch();
        var polls = credentials.Select(async credential =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"agent/snapshot?after={revision}&waitSeconds=60");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
            using var response = await http.SendAsync(request);
            var answeredAt = clock.Elapsed;
            return response.StatusCode == HttpStatusCode.OK ? answeredAt : (TimeSpan?)null;
        }).ToList();
        await Wait.UntilAsync(async () => await WatchingAsync(lab, cluster.Id) >= Watchers, TimeSpan.FromSeconds(60), () => $"the {Watchers} long polls never all waited");
        var cpuBefore = Procfs.Cpu(server);
        clock.Start();
        await lab.CreateLoadBalancerAsync("moved", cluster.Id);
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
