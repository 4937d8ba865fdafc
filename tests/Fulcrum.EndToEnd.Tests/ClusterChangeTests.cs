using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// Every load balancer of a cluster shares its nodes: what one tenant changes is applied by every node, a moment
/// apart. Clients of the other load balancers must not notice, with VRRP at the product's default interval.
/// </summary>
public sealed class ClusterChangeTests(ClusterChangeTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<ClusterChangeTests.Fixture>
{
    /// <summary>
    /// New VIPs change every node's VRRP configuration; were a backup to take the master's adverts for foreign while
    /// the two disagree on the VIPs, it would claim every VIP too, and clients of the steady load balancer would see
    /// resets and stalls until their ARP caches recovered.
    /// </summary>
    [Fact]
    public Task NewLoadBalancers_AnotherOneServing_ItsClientsSeeNoError() => fixture.RunAsync(output, async lab =>
    {
        var steady = await lab.CreateLoadBalancerAsync("steady");
        var group = await lab.CreateGroupAsync(steady, "web");
        foreach (var backend in lab.Backends)
        {
            await lab.CreateBackendAsync(group, backend, LabDeployment.BackendHttpPort);
        }

        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = steady.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id });
        var url = $"http://{steady.Vip}/";
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(2));
        await Traffic.WaitUntilServingAsync(lab, steady, http, url);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var traffic = SendUntilStoppedAsync(http, url, stop.Token);
        for (var i = 0; i < 4; i++)
        {
            var other = await lab.CreateLoadBalancerAsync($"tenant-{i}");
            var otherGroup = await lab.CreateGroupAsync(other, "web");
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = other.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = otherGroup.Id });
            await lab.WaitUntilActiveAsync(other);
        }

        await stop.CancelAsync();
        var (sent, failures) = await traffic;

        Assert.True(sent >= 20, $"only {sent} requests were sent meanwhile");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n{string.Join('\n', failures)}");
    });

    /// <summary>Requests one after the other (at most 2,000) until stopped; returns how many were sent and what failed.</summary>
    private static async Task<(int Sent, List<string> Failures)> SendUntilStoppedAsync(HttpClient http, string url, CancellationToken stop)
    {
        var failures = new List<string>();
        var sent = 0;
        for (; sent < 2_000 && !stop.IsCancellationRequested; sent++)
        {
            try
            {
                using var response = await http.GetAsync(url, CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {(int)response.StatusCode}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failures.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {e.GetType().Name}: {e.Message} {e.InnerException?.Message}");
            }
        }

        return (sent, failures);
    }

    public sealed class Fixture() : LabFixture(subnet: 214, advertIntervalMs: VrrpSpec.DefaultAdvertIntervalMs);
}
