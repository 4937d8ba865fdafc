using System.Text.RegularExpressions;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// Load balancers created and deleted one after another at the product's default 200 ms adverts: every change
/// reloads keepalived on both nodes, and the VIP of a load balancer left alone must stay where it is.
/// </summary>
public sealed partial class VrrpChurnTests(ITestOutputHelper output)
{
    private const int Changes = 100;

    [Fact]
    public async Task Churn_HundredLoadBalancerCreatesAndDeletes_OneMasterThroughout_AndTheSteadyVipKeepsServing()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 232, nodes: 2, backends: 1, advertIntervalMs: VrrpSpec.DefaultAdvertIntervalMs);
        try
        {
            var steady = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = "steady" });
            var web = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = steady.Id, name = "web" });
            await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = lab.Backends[0].Address, port = LabDeployment.BackendHttpPort });
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = steady.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            var url = $"http://{steady.Vip}/";
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, url), TimeSpan.FromSeconds(30), () => "the VIP never served");
            var master = await lab.MasterAsync(LabApi.Deadline);
            var before = lab.Nodes.Sum(Transitions);

            var failed = 0;
            for (var i = 0; i < Changes / 2; i++)
            {
                var lb = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = $"churn{i}" });
                failed += await Vip.ServesAsync(http, url) ? 0 : 1;
                (await lab.Admin.DeleteAsync($"load-balancers/{lb.Id}")).EnsureSuccessStatusCode();
                failed += await Vip.ServesAsync(http, url) ? 0 : 1;
            }

            var revision = (await lab.GetAsync<ClusterResponse>($"clusters/{lab.Cluster.Id}")).Revision;
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<Page<NodeResponse>>($"nodes?clusterId={lab.Cluster.Id}")).Items.All(n => n.AppliedRevision == revision),
                TimeSpan.FromSeconds(60),
                () => "the nodes never applied the last change");
            var transitions = lab.Nodes.Sum(Transitions) - before;
            output.WriteLine($"{Changes} load balancer creates and deletes at 200 ms adverts: {transitions} VRRP transitions ({before} before, while the nodes started), {failed} of {Changes} requests to the steady VIP failed");

            Assert.Equal(master, await lab.MasterAsync(LabApi.Deadline));
            Assert.Equal(0, failed);
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    /// <summary>The VRRP state changes keepalived logged on a node so far.</summary>
    private static int Transitions(LabNode node)
    {
        var log = Path.Combine(node.StateDirectory, "run", "keepalived.log");
        return File.Exists(log) ? File.ReadLines(log).Count(line => Entering().IsMatch(line)) : 0;
    }

    [GeneratedRegex(@"Entering (MASTER|BACKUP|FAULT) STATE")]
    private static partial Regex Entering();
}
