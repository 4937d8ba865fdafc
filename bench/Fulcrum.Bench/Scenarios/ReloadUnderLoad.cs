using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.Bench.Scenarios;

/// <summary>Benchmark 4: requests failed while haproxy reloads, under a bounded load of four kinds of client.</summary>
public sealed class ReloadUnderLoad(BenchContext context)
{
    private const int Subnet = 253;
    private const int Changes = 100;

    /// <summary>Each client stops after this many requests or when the changes are done, whichever comes first.</summary>
    private const int MaxRequestsPerClient = 1_000_000;

    public async Task RunAsync()
    {
        var section = context.Report.Begin(
            "4. Reload under load",
            $"Two nodes; one load balancer with an HTTP listener and an HTTPS one, three backends. Four clients send requests one after the other " +
            $"— HTTP on one keep-alive connection, HTTP on a new connection each, the same two over HTTPS — while {Changes} changes are applied one " +
            "after the other (a listener added, then removed: each one a haproxy reload on both nodes, each applied everywhere before the next). " +
            "A failed request is any error or any status other than 200.");
        await using var lab = await LabDeployment.StartAsync(context.Programs, Subnet, nodes: 2, backends: 3);
        using var sockets = new NamespaceSockets(lab.Client.Namespace);
        var lb = await lab.CreateLoadBalancerAsync("busy");
        var group = await lab.CreateGroupAsync(lb, "web");
        foreach (var backend in lab.Backends)
        {
            await lab.CreateBackendAsync(group, backend.Address);
        }

        var pem = SelfSignedCertificate.Create("busy.example");
        var certificate = await lab.CreateAsync<CertificateResponse>("certificates", new { projectId = lab.Project.Id, name = "busy", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
        await lab.CreateListenerAsync(lb, group, 80);
        await lab.CreateListenerAsync(lb, group, 443, ListenerProtocol.Https, tls: new { certificateId = certificate.Id });
        using (var probe = new Probe(sockets))
        {
            await probe.UntilAsync($"http://{lb.Vip}/", served => served is not null, Stopwatch.StartNew());
        }

        await lab.CaughtUpAsync();
        var master = await lab.MasterAsync(BenchApi.Deadline);
        var reloadsBefore = await ReloadsAsync(master);

        using var served = X509Certificate2.CreateFromPem(pem.CertificatePem);
        RemoteCertificateValidationCallback pinned = (_, presented, _, _) => presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(served.RawData);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var clients = new[]
        {
            Client("HTTP, keep-alive", sockets.HttpClient(TimeSpan.FromSeconds(5), keepAlive: true), $"http://{lb.Vip}/", stop.Token),
            Client("HTTP, new connections", sockets.HttpClient(TimeSpan.FromSeconds(5)), $"http://{lb.Vip}/", stop.Token),
            Client("HTTPS, keep-alive", sockets.HttpClient(TimeSpan.FromSeconds(5), keepAlive: true, certificates: pinned), $"https://{lb.Vip}/", stop.Token),
            Client("HTTPS, new connections", sockets.HttpClient(TimeSpan.FromSeconds(5), certificates: pinned), $"https://{lb.Vip}/", stop.Token),
        };
        var clock = Stopwatch.StartNew();
        ListenerResponse? added = null;
        for (var i = 0; i < Changes; i++)
        {
            if (added is null)
            {
                added = await lab.CreateListenerAsync(lb, group, 20_000 + i);
            }
            else
            {
                await lab.DeleteAsync($"listeners/{added.Id}");
                added = null;
            }

            await lab.CaughtUpAsync();
        }

        var changed = clock.Elapsed;
        await stop.CancelAsync();
        var results = await Task.WhenAll(clients);
        var reloads = await ReloadsAsync(master) - reloadsBefore;
        section.Table(
            ["client", "requests", "failed", "first failures"],
            results.Select(r => (IEnumerable<string>)[r.Name, $"{r.Requests:N0}", $"{r.Failed.Count:N0}", string.Join("; ", r.Failed.Take(3))]));
        section.Line($"{Changes} changes applied on both nodes in {changed.TotalSeconds:F0} s; the MASTER's agent counted {reloads} haproxy reloads meanwhile.");
        await context.Report.EndAsync(section);
    }

    private static async Task<(string Name, long Requests, List<string> Failed)> Client(string name, HttpClient http, string url, CancellationToken stop)
    {
        await Task.Yield();
        var requests = 0L;
        var failed = new List<string>();
        using (http)
        {
            while (!stop.IsCancellationRequested && requests < MaxRequestsPerClient)
            {
                requests++;
                try
                {
                    using var response = await http.GetAsync(url, CancellationToken.None);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failed.Add($"{(int)response.StatusCode}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failed.Add(e.InnerException?.Message ?? e.Message);
                }
            }
        }

        return (name, requests, failed);
    }

    private static async Task<double> ReloadsAsync(LabNode node) =>
        (await node.AgentMetricsAsync()).Named("fulcrum_agent_reloads_total", ("tool", "haproxy")).Sum(s => s.Value);
}
