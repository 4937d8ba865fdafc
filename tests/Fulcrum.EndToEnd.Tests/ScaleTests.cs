using System.Diagnostics;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>Status at scale: a node serving more backends than one heartbeat may carry is still shown as it is.</summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    private const int BackendCount = 15_000;

    /// <summary>
    /// 15,000 backends in one group (written straight into the server's database: creating them one API call at a
    /// time would take the whole test's time), then one change through the API that moves the revision: the node
    /// applies it and reports it, online, and the load balancer becomes ACTIVE.
    /// </summary>
    [Fact]
    public async Task FifteenThousandBackends_NodeOnlineWithItsRevision_LoadBalancerActive()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 231, nodes: 1, backends: 1);
        try
        {
            var lb = await lab.CreateLoadBalancerAsync("scale");
            var group = await lab.CreateGroupAsync(lb, "scale");
            var first = await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, $"http://{lb.Vip}/"), TimeSpan.FromSeconds(30), () => "the VIP never served");

            await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={lab.ServerDatabase}"))
            {
                await database.OpenAsync();
                await using var copy = database.CreateCommand();
                copy.CommandText = """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
                    INSERT INTO Backends (Id, BackendGroupId, Name, Address, Port, Weight, Backup, AdminState, Health, CreatedAt, UpdatedAt, Version, ProjectId, ClusterId, LoadBalancerId)
                    SELECT 'be-' || printf('%016d', i), BackendGroupId, 'bulk', Address, 1024 + i, Weight, Backup, AdminState, Health, CreatedAt, UpdatedAt, Version, ProjectId, ClusterId, LoadBalancerId
                    FROM Backends, n WHERE Id = $id
                    """;
                copy.Parameters.AddWithValue("$count", BackendCount - 2);
                copy.Parameters.AddWithValue("$id", first.Id);
                Assert.Equal(BackendCount - 2, await copy.ExecuteNonQueryAsync());
            }

            var clock = Stopwatch.StartNew();
            await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendTcpPort);
            var revision = await lab.RevisionAsync();
            var node = lab.Nodes[0];
            await Eventually.TrueAsync(
                async () => await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}") is { Online: true } seen && seen.AppliedRevision == revision,
                TimeSpan.FromSeconds(120),
                () => $"the node never showed online with revision {revision}");
            output.WriteLine($"{BackendCount} backends: node online with revision {revision} {clock.Elapsed.TotalSeconds:F1} s after the change");
            await lab.WaitUntilActiveAsync(lb);

            var status = await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}");
            Assert.Equal(ProvisioningStatus.Active, status.ProvisioningStatus);
            Assert.Equal(BackendCount, (await lab.GetAsync<Page<BackendResponse>>($"backends?backendGroupId={group.Id}&limit=1")).Total);
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }
}
