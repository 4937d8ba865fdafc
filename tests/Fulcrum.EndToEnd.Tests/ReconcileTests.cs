using System.Diagnostics;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>The agent reconciles desired against actual: a revision it could not apply is applied later, on its own.</summary>
public sealed class ReconcileTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// haproxy's master socket out of reach (as while the master is wedged): the reload cannot be made, the node
    /// shows why, and once the socket is back the same revision is applied with no further change made.
    /// </summary>
    [Fact]
    public async Task ReloadImpossibleForAWhile_NodeShowsLastError_ThenTheSameRevisionIsApplied()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 237, nodes: 1, backends: 1);
        try
        {
            var node = lab.Nodes[0];
            var lb = await lab.CreateLoadBalancerAsync("web");
            var group = await lab.CreateGroupAsync(lb, "web");
            await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = group.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            await Traffic.WaitUntilServingAsync(lab, lb, http, $"http://{lb.Vip}/");

            var socket = Path.Combine(node.StateDirectory, "run", "haproxy-master.sock");
            var hidden = socket + ".hidden";
            File.Move(socket, hidden);
            NodeResponse failing;
            try
            {
                await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "alt", protocol = "http", port = 8081, defaultBackendGroupId = group.Id });
                await Eventually.TrueAsync(
                    async () => (await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).LastError is not null, Deadline, () => "the node never reported the failed apply");
                failing = await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}");
            }
            finally
            {
                File.Move(hidden, socket);
            }

            var clock = Stopwatch.StartNew();
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, $"http://{lb.Vip}:8081/"), Deadline, () => "the revision was never applied once haproxy answered again");
            output.WriteLine($"master socket back to the new listener serving: {clock.ElapsedMilliseconds} ms");
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).LastError is null, Deadline, () => "the node kept reporting the error once applied");
            var cluster = await lab.GetAsync<ClusterResponse>($"clusters/{lab.Cluster.Id}");

            Assert.Contains("master CLI does not answer", failing.LastError, StringComparison.Ordinal);
            Assert.True(failing.AppliedRevision < cluster.Revision);
            Assert.Equal(cluster.Revision, (await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).AppliedRevision);
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    /// <summary>
    /// A node joined to a second cluster with the state directory of its first, whose cached snapshot is at a higher
    /// revision than the new cluster ever reached: it serves the new cluster, not the old one.
    /// </summary>
    [Fact]
    public async Task RejoinWithTheStateDirectoryOfAnotherCluster_ServesTheNewCluster()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 238, nodes: 1, backends: 1);
        try
        {
            var node = lab.Nodes[0];
            var old = await lab.CreateLoadBalancerAsync("old");
            var oldGroup = await lab.CreateGroupAsync(old, "web");
            await lab.CreateBackendAsync(oldGroup, lab.Backends[0], LabDeployment.BackendHttpPort);
            for (var port = 80; port < 85; port++)
            {
                await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = old.Id, name = $"http{port}", protocol = "http", port, defaultBackendGroupId = oldGroup.Id });
            }

            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            await Traffic.WaitUntilServingAsync(lab, old, http, $"http://{old.Vip}/");

            var second = await lab.CreateAsync<ClusterResponse>("clusters", new
            {
                name = "second",
                vrrp = new { virtualRouterId = 52, advertIntervalMs = 100 },
                vipPools = new[] { $"{lab.Network.Address(180)}-{lab.Network.Address(199)}" },
            });
            var lb = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = second.Id, name = "new" });
            var group = await lab.CreateGroupAsync(lb, "web");
            await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = group.Id });
            var firstRevision = (await lab.GetAsync<ClusterResponse>($"clusters/{lab.Cluster.Id}")).Revision;

            await node.Host.PowerOffAsync();
            var clock = Stopwatch.StartNew();
            var rejoined = await lab.JoinAsync(node.Host, node.StateDirectory, second.Id, "rejoined");
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, $"http://{lb.Vip}/"), Deadline, () => "the rejoined node never served the new cluster");
            output.WriteLine($"join to the new cluster's VIP serving: {clock.ElapsedMilliseconds} ms");
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<NodeResponse>($"nodes/{rejoined.NodeId}")).AppliedRevision
                    == (await lab.GetAsync<ClusterResponse>($"clusters/{second.Id}")).Revision,
                Deadline,
                () => "the rejoined node never reported the new cluster's revision");

            var secondRevision = (await lab.GetAsync<ClusterResponse>($"clusters/{second.Id}")).Revision;
            Assert.True(firstRevision > secondRevision, $"the first cluster's revision {firstRevision} should be above the second's {secondRevision}");
            Assert.False(await Vip.ServesAsync(http, $"http://{old.Vip}/"), "the rejoined node still serves the cluster it left");
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }
}
