using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// An operator's moves of the VIPs — a manual failover, a node's maintenance — in a lab of their own: they move the
/// VIPs of the whole cluster. Each test leaves the cluster settled, no node in maintenance and nopreempt as it was.
/// </summary>
public sealed class NodeOperationsTests(NodeOperationsTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<NodeOperationsTests.Fixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Then the old MASTER, of higher priority, takes part in VRRP again, and nopreempt keeps the VIPs where they went.</summary>
    [Fact]
    public Task Failover_ToTheOtherNode_VipMovesWithNoFailedRequest_AndTheOldMasterDoesNotTakeItBack() => fixture.RunAsync(output, async lab =>
    {
        var (http, url) = await ServeAsync(lab, "failover");
        using var _ = http;
        var master = await lab.MasterAsync(LabApi.Deadline);
        var other = lab.Nodes.Single(n => n != master);

        var loop = await RequestsAroundAsync(
            http,
            url,
            async () =>
            {
                using var response = await lab.Admin.PostAsJsonAsync($"clusters/{lab.Cluster.Id}/failover", new FailoverRequest(other.NodeId), FulcrumJson.Options);
                Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"failover to {other.NodeId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            },
            async () => await FailoverTests.StateAsync(lab, other) == VrrpState.Master
                && await FailoverTests.StateAsync(lab, master) == VrrpState.Backup
                && (await lab.GetAsync<ClusterResponse>($"clusters/{lab.Cluster.Id}")).Failover is null);

        output.WriteLine($"failover {master.Host.Namespace} -> {other.Host.Namespace}: {loop.Failed} of {loop.Sent} requests failed");
        Assert.Equal(0, loop.Failed);
        Assert.Equal(other, await lab.MasterAsync(LabApi.Deadline));
        Assert.Equal(VrrpState.Backup, await FailoverTests.StateAsync(lab, master));
    });

    /// <summary>
    /// In maintenance the node stays out even while the cluster preempts and it has the highest priority (it would
    /// take the VIPs back at once otherwise); released, it takes them back as preemption says. Then, with nopreempt
    /// again, a maintenance and its release move the VIPs once only, with no failed request.
    /// </summary>
    [Fact]
    public Task Maintenance_OfTheMaster_HandsTheVipsOverWithNoFailedRequest_TakesNoneBackUntilReleased() => fixture.RunAsync(output, async lab =>
    {
        var (http, url) = await ServeAsync(lab, "maintenance");
        using var _ = http;
        var highestId = (await lab.NodesAsync()).MaxBy(n => n.Priority)!.Id;
        var highest = lab.Nodes.Single(n => n.NodeId == highestId);
        var other = lab.Nodes.Single(n => n != highest);
        await SetPreemptAsync(lab, true);
        try
        {
            await Eventually.TrueAsync(async () => await FailoverTests.StateAsync(lab, highest) == VrrpState.Master && await lab.SettledAsync(), Wait, () => "the node of highest priority never became MASTER with preemption");

            var handOver = await RequestsAroundAsync(
                http,
                url,
                () => MaintenanceAsync(lab, highest, HttpMethod.Post),
                async () => await FailoverTests.StateAsync(lab, other) == VrrpState.Master && await FailoverTests.StateAsync(lab, highest) == VrrpState.Fault);
            output.WriteLine($"maintenance of {highest.Host.Namespace}: {handOver.Failed} of {handOver.Sent} requests failed");
            Assert.Equal(0, handOver.Failed);

            // Preemption would have it back within an advert interval (200 ms); the loop lasts well beyond that.
            var held = await RequestsAroundAsync(http, url, () => Task.CompletedTask, () => Task.FromResult(true));
            Assert.Equal(0, held.Failed);
            Assert.Equal(VrrpState.Fault, await FailoverTests.StateAsync(lab, highest));
            Assert.Equal(other, await lab.MasterAsync(LabApi.Deadline));
            Assert.Equal("Fault", File.ReadAllText(Path.Combine(highest.StateDirectory, "run", "vrrp-state")).Trim());
            // It drained the VIP before it stood aside, and takes no new connection on it while it stands aside.
            Assert.Contains(new Uri(url).Host, await NftAsync(highest, "list", "table", "inet", "fulcrum_drain"), StringComparison.Ordinal);

            var release = await RequestsAroundAsync(
                http,
                url,
                () => MaintenanceAsync(lab, highest, HttpMethod.Delete),
                async () => await FailoverTests.StateAsync(lab, highest) == VrrpState.Master && await FailoverTests.StateAsync(lab, other) == VrrpState.Backup);
            // Reported, not asserted: this is VRRP preemption, which no drain precedes (see the README's maintenance).
            output.WriteLine($"release of {highest.Host.Namespace} (preempting): {release.Failed} of {release.Sent} requests failed");
            Assert.True(await Vip.ServesAsync(http, url));
            Assert.DoesNotContain("fulcrum_drain", await NftAsync(highest, "list", "tables"), StringComparison.Ordinal);
        }
        finally
        {
            await SetPreemptAsync(lab, false);
        }

        await Eventually.TrueAsync(lab.SettledAsync, Wait, () => "the cluster never settled with nopreempt again");
        var master = await lab.MasterAsync(LabApi.Deadline);
        var backup = lab.Nodes.Single(n => n != master);
        var moved = await RequestsAroundAsync(
            http,
            url,
            () => MaintenanceAsync(lab, master, HttpMethod.Post),
            async () => await FailoverTests.StateAsync(lab, backup) == VrrpState.Master && await FailoverTests.StateAsync(lab, master) == VrrpState.Fault);
        var released = await RequestsAroundAsync(
            http,
            url,
            () => MaintenanceAsync(lab, master, HttpMethod.Delete),
            async () => await FailoverTests.StateAsync(lab, master) == VrrpState.Backup);
        output.WriteLine($"nopreempt: maintenance {moved.Failed} of {moved.Sent} failed, release {released.Failed} of {released.Sent} failed");
        Assert.Equal((0, 0), (moved.Failed, released.Failed));
        Assert.Equal(backup, await lab.MasterAsync(LabApi.Deadline));
        Assert.True(await Vip.ServesAsync(http, url));
    });

    /// <summary>A load balancer of the test's own, serving through its VIP from the lab's client.</summary>
    private async Task<(HttpClient Http, string Url)> ServeAsync(LabDeployment lab, string name)
    {
        var lb = await lab.CreateLoadBalancerAsync(name);
        var group = await lab.CreateGroupAsync(lb, "web");
        await lab.AddBackendsAsync(group, LabDeployment.BackendHttpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id });
        var url = $"http://{lb.Vip}/";
        // Long enough for a SYN sent in the moment no node holds the VIP to be sent again (after 1 s) to the new MASTER.
        var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);
        await Eventually.TrueAsync(lab.SettledAsync, Wait, () => "the cluster never settled");
        return (http, url);
    }

    private static async Task MaintenanceAsync(LabDeployment lab, LabNode node, HttpMethod method)
    {
        using var response = await lab.Admin.SendAsync(new HttpRequestMessage(method, $"nodes/{node.NodeId}/maintenance"));
        Assert.True(response.IsSuccessStatusCode, $"{method} maintenance of {node.NodeId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static Task<string> NftAsync(LabNode node, params string[] arguments) => Ip.RunAsync(["netns", "exec", node.Host.Namespace, "nft", .. arguments]);

    private static async Task SetPreemptAsync(LabDeployment lab, bool preempt)
    {
        var cluster = await lab.GetAsync<ClusterResponse>($"clusters/{lab.Cluster.Id}");
        await lab.UpdateAsync<ClusterResponse>(
            $"clusters/{cluster.Id}",
            new ClusterRequest(cluster.Name, cluster.Description, cluster.Vrrp with { Preempt = preempt }, cluster.VipPools, cluster.VipPrefixLengths, cluster.BackendAllowedRanges));
    }

    /// <summary>
    /// Requests through the VIP, one every 50 ms, each on a new connection: 10 before <paramref name="action"/>, then
    /// on until <paramref name="settled"/> holds (asked every fifth request), then 20 more. Bounded: at most 600
    /// requests and a minute. Returns how many were sent and how many failed.
    /// </summary>
    private static async Task<(int Sent, int Failed)> RequestsAroundAsync(HttpClient http, string url, Func<Task> action, Func<Task<bool>> settled)
    {
        var clock = Stopwatch.StartNew();
        var (sent, failed, after) = (0, 0, -1);
        var acting = Task.CompletedTask;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (after < 20)
        {
            Assert.True(sent < 600 && clock.Elapsed < TimeSpan.FromMinutes(1), $"the cluster did not settle within 600 requests or a minute ({failed} failed)");
            if (sent == 10)
            {
                acting = action();
            }

            if (acting.IsFaulted)
            {
                await acting;
            }

            failed += await Vip.ServesAsync(http, url) ? 0 : 1;
            sent++;
            if (after >= 0)
            {
                after++;
            }
            else if (sent > 10 && acting.IsCompleted && sent % 5 == 0 && await settled())
            {
                after = 0;
            }

            await tick.WaitForNextTickAsync();
        }

        await acting;
        return (sent, failed);
    }

    public sealed class Fixture() : LabFixture(subnet: 227, advertIntervalMs: VrrpSpec.DefaultAdvertIntervalMs);
}
