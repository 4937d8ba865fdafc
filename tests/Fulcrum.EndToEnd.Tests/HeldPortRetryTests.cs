using System.Diagnostics;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// A load balancer kept out because another process held its port comes back by itself once that process lets the
/// port go: the agent tries it again, nobody changes anything.
/// </summary>
public sealed class HeldPortRetryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task PortHeldThenFreed_TheLoadBalancerServesItWithoutAChange()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 234, nodes: 1, backends: 1);
        try
        {
            var node = lab.Nodes[0];
            var lb = await lab.CreateLoadBalancerAsync("held");
            var group = await lab.CreateGroupAsync(lb, "web");
            await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = group.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2), keepAlive: false);
            await Traffic.WaitUntilServingAsync(lab, lb, http, $"http://{lb.Vip}/");

            var squatter = lab.Network.Start("squatter", node.Host, "python3",
                ["-c", $"import socket, time\ns = socket.socket()\ns.bind(('{lb.Vip}', 8443))\ns.listen()\nprint('bound', flush=True)\ntime.sleep(600)"]);
            await Eventually.TrueAsync(() => Task.FromResult(squatter.Output().Contains("bound", StringComparison.Ordinal)), Deadline, () => $"the squatter did not bind: {squatter.Output()}");
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "taken", protocol = "tcp", port = 8443, defaultBackendGroupId = group.Id });
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).ProvisioningStatus == ProvisioningStatus.Error,
                Deadline,
                () => "the load balancer never showed ERROR");
            var revision = await lab.RevisionAsync();

            await squatter.KillAsync();
            var clock = Stopwatch.StartNew();
            await Eventually.TrueAsync(() => Traffic.AnswersAsync(http, $"http://{lb.Vip}:8443/", System.Net.HttpStatusCode.OK), Deadline, () => "the freed port was never served");
            output.WriteLine($"port freed to served through the VIP: {clock.ElapsedMilliseconds} ms");
            await lab.WaitUntilActiveAsync(lb);

            Assert.Equal(revision, await lab.RevisionAsync());
            Assert.Null((await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).Error);
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }
}
