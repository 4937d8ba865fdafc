using System.Diagnostics;
using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>One tenant's listener the node cannot serve stays that tenant's problem: every other load balancer keeps receiving changes.</summary>
public sealed class IsolationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    /// <summary>
    /// Something else on the node holds the port of a new listener: <c>haproxy -c</c> accepts it (it does not bind),
    /// the reload fails. That load balancer shows ERROR with haproxy's message and keeps its previous listeners;
    /// another tenant's listener created afterwards serves; removing the culprit brings its load balancer back.
    /// </summary>
    [Fact]
    public async Task ListenerOnAPortAnotherProcessHolds_OnlyItsLoadBalancerShowsError_OthersKeepReceivingChanges()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 239, nodes: 1, backends: 1);
        try
        {
            var node = lab.Nodes[0];
            var blocked = await lab.CreateLoadBalancerAsync("blocked");
            var group = await lab.CreateGroupAsync(blocked, "web");
            await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = blocked.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = group.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            await Traffic.WaitUntilServingAsync(lab, blocked, http, $"http://{blocked.Vip}/");

            var squatter = lab.Network.Start("squatter", node.Host, "python3",
                ["-c", $"import socket, time\ns = socket.socket()\ns.bind(('{blocked.Vip}', 8443))\ns.listen()\nprint('bound', flush=True)\ntime.sleep(600)"]);
            await Eventually.TrueAsync(() => Task.FromResult(squatter.Output().Contains("bound", StringComparison.Ordinal)), Deadline, () => $"the squatter did not bind: {squatter.Output()}");
            var clock = Stopwatch.StartNew();
            var culprit = await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = blocked.Id, name = "taken", protocol = "tcp", port = 8443, defaultBackendGroupId = group.Id });
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{blocked.Id}")).ProvisioningStatus == ProvisioningStatus.Error,
                Deadline,
                () => "the load balancer never showed ERROR");
            output.WriteLine($"listener on a held port to ERROR in the API: {clock.ElapsedMilliseconds} ms");
            var status = await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{blocked.Id}");

            var other = await lab.CreateLoadBalancerAsync("other");
            var otherGroup = await lab.CreateGroupAsync(other, "web");
            await lab.CreateBackendAsync(otherGroup, lab.Backends[0], LabDeployment.BackendHttpPort);
            clock.Restart();
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = other.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = otherGroup.Id });
            await Traffic.WaitUntilServingAsync(lab, other, http, $"http://{other.Vip}/");
            output.WriteLine($"another tenant's listener, created meanwhile, to serving: {clock.ElapsedMilliseconds} ms");

            Assert.Contains(culprit.Id, status.Error, StringComparison.Ordinal);
            Assert.Contains("haproxy", status.Error, StringComparison.Ordinal);
            // A fresh connection: the reloads close idle ones, which says nothing about what is served.
            using var fresh = client.HttpClient(TimeSpan.FromSeconds(2));
            Assert.True(await Traffic.AnswersAsync(fresh, $"http://{blocked.Vip}/", HttpStatusCode.OK), "the blocked load balancer's previous listener stopped serving");
            Assert.Null((await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).LastError);

            using (var deleted = await lab.Admin.DeleteAsync($"listeners/{culprit.Id}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            await lab.WaitUntilActiveAsync(blocked);
            Assert.Null((await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{blocked.Id}")).Error);
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }
}
