using System.Diagnostics;
using System.Globalization;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// A node joining a one-node cluster, and leaving it again, under a loop of requests through the VIP: the VIP stays
/// on the node that holds it and no request fails (a one-node cluster is unicast VRRP too, so the first node's
/// keepalived only learns a peer, and loses it, without changing how it advertises).
/// </summary>
public sealed class MembershipTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Membership_NodeJoinsThenLeaves_UnderARequestLoop_NoRequestFailsAndTheVipStays()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 231, nodes: 1, backends: 2);
        try
        {
            var lb = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = "web" });
            var web = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "web" });
            foreach (var backend in lab.Backends)
            {
                await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = backend.Address, port = LabDeployment.BackendHttpPort });
            }

            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            var url = $"http://{lb.Vip}/";
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, url), Patience, () => "the VIP never served");
            var first = await lab.MasterAsync(LabApi.Deadline);

            using var stop = new CancellationTokenSource();
            var loop = RequestLoopAsync(http, url, stop.Token);

            var second = await lab.StartNodeAsync("nodeb");
            await Eventually.TrueAsync(
                async () => await FailoverTests.StateAsync(lab, second) == VrrpState.Backup,
                Patience,
                () => "the joining node never became BACKUP");
            Assert.Equal(first, await lab.MasterAsync(LabApi.Deadline));

            // Leaving as an operator would take a node out: its programs stopped, then the node deleted.
            await second.Agent.KillAsync();
            foreach (var tool in new[] { "keepalived", "haproxy", "nginx" })
            {
                var pid = int.Parse(File.ReadAllText(Path.Combine(second.StateDirectory, "run", tool + ".pid")).Trim(), CultureInfo.InvariantCulture);
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }

            var revision = (await lab.GetAsync<ClusterResponse>($"clusters/{lab.Cluster.Id}")).Revision;
            (await lab.Admin.DeleteAsync($"nodes/{second.NodeId}")).EnsureSuccessStatusCode();
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<NodeResponse>($"nodes/{first.NodeId}")).AppliedRevision > revision,
                Patience,
                () => "the remaining node never applied the cluster without the node that left");
            Assert.Equal(first, await lab.MasterAsync(LabApi.Deadline));

            await stop.CancelAsync();
            var (sent, failed) = await loop;
            output.WriteLine($"node joined and left: {sent} requests through the VIP, {failed.Count} failed");
            Assert.True(failed.Count == 0, $"{failed.Count} of {sent} requests failed, the first at {failed.FirstOrDefault()}");
            Assert.True(sent > 50, $"only {sent} requests were sent");
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    /// <summary>A request every 20 ms until stopped, at most 6,000 (two minutes); returns how many were sent and when each failure was.</summary>
    private static async Task<(int Sent, List<TimeSpan> Failed)> RequestLoopAsync(HttpClient http, string url, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var failed = new List<TimeSpan>();
        var sent = 0;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!stop.IsCancellationRequested && sent < 6_000)
        {
            sent++;
            if (!await Vip.ServesAsync(http, url))
            {
                failed.Add(clock.Elapsed);
            }

            await tick.WaitForNextTickAsync(CancellationToken.None);
        }

        return (sent, failed);
    }
}
