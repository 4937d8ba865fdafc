using System.Diagnostics;
using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>One node, joined to a real server, serving real traffic from the lab's client namespace.</summary>
public sealed class AgentTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Agent_ServesHttpAndUdpThroughTheVip_ChecksBackends_ThenServesItsCachedSnapshotWithoutTheServer_AndFollowsChangesOnceItIsBack()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 202, nodes: 1, backends: 2);
        try
        {
            var node = lab.Nodes[0];
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).Online,
                TimeSpan.FromSeconds(30),
                () => "the node never came online");

            var lb = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = "web" });
            var web = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "web" });
            var dns = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "dns" });
            var webBackends = new List<BackendResponse>();
            var dnsBackends = new List<BackendResponse>();
            foreach (var backend in lab.Backends)
            {
                webBackends.Add(await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = backend.Address, port = LabDeployment.BackendHttpPort }));
                dnsBackends.Add(await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = dns.Id, address = backend.Address, port = LabDeployment.BackendUdpPort }));
            }

            var udpCheck = new { type = "udp", intervalMs = 200, timeoutMs = 200, rise = 2, fall = 2, udp = new { send = "health", expect = "health" } };
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "dns", protocol = "udp", port = 53, defaultBackendGroupId = dns.Id, healthCheck = udpCheck });
            var clock = Stopwatch.StartNew();
            var httpCheck = new { type = "http", intervalMs = 200, timeoutMs = 200, rise = 2, fall = 2 };
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id, healthCheck = httpCheck });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            var url = $"http://{lb.Vip}/";
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, url), TimeSpan.FromSeconds(20), () => "the VIP never served the new listener");
            output.WriteLine($"API call to first response through the VIP: {clock.ElapsedMilliseconds} ms");

            var served = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                served.Add(FirstLine(await http.GetStringAsync(url)));
            }

            var vip = new IPEndPoint(IPAddress.Parse(lb.Vip), 53);
            var answers = new List<string?>();
            for (var i = 0; i < 4; i++)
            {
                answers.Add(await client.UdpExchangeAsync(vip, $"query {i}", TimeSpan.FromSeconds(2)));
            }

            Assert.Equal(["be1", "be2"], served.Distinct().Order(StringComparer.Ordinal));
            Assert.Equal(5, served.Count(name => name == "be1"));
            Assert.All(answers, answer => Assert.Matches(@"^be[12] query \d$", answer));
            Assert.Equal(["be1", "be2"], answers.Select(a => a![..3]).Distinct().Order(StringComparer.Ordinal));
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).ProvisioningStatus == ProvisioningStatus.Active,
                TimeSpan.FromSeconds(10),
                () => "the load balancer never became ACTIVE");

            await lab.Network.Processes.Single(p => p.Name == "be1").KillAsync();
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<BackendResponse>($"backends/{dnsBackends[0].Id}")).Health == BackendHealth.Down
                    && (await lab.GetAsync<BackendResponse>($"backends/{webBackends[0].Id}")).Health == BackendHealth.Down,
                TimeSpan.FromSeconds(20),
                () => "the stopped backend was never reported down");
            // Reported down, nginx is reloaded without it a moment later: from then on every datagram reaches be2.
            await Eventually.TrueAsync(
                async () =>
                {
                    for (var i = 0; i < 4; i++)
                    {
                        if (await client.UdpExchangeAsync(vip, $"query {i}", TimeSpan.FromSeconds(1)) is not { } answer || !answer.StartsWith("be2 ", StringComparison.Ordinal))
                        {
                            return false;
                        }
                    }

                    return true;
                },
                TimeSpan.FromSeconds(20),
                () => "UDP traffic kept going to the stopped backend");
            Assert.Equal(OperatingStatus.Degraded, (await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).OperatingStatus);

            await lab.Server.KillAsync();
            Assert.True(await Vip.ServesAsync(http, url), "traffic stopped with the control plane");
            await node.Host.PowerOffAsync();
            Assert.False(await Vip.ServesAsync(http, url));
            lab.StartAgent(node.Host, node.StateDirectory);

            await Eventually.TrueAsync(() => Vip.ServesAsync(http, url), TimeSpan.FromSeconds(30), () => "the restarted agent did not serve its cached snapshot");

            await lab.RestartServerAsync();
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "alt", protocol = "http", port = 8081, defaultBackendGroupId = web.Id });
            await Eventually.TrueAsync(
                () => Vip.ServesAsync(http, $"http://{lb.Vip}:8081/"), TimeSpan.FromSeconds(30), () => "changes did not flow again once the server was back");
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    /// <summary>
    /// A snapshot the API would never produce — a certificate swapped in the database for one that does not match its
    /// key — is refused by the node's validator: the load balancer shows ERROR with haproxy's message (it is its own
    /// fault, not the node's), and its previous configuration keeps serving.
    /// </summary>
    [Fact]
    public async Task Agent_RefusesASnapshotTheValidatorRejects_AndKeepsServingThePreviousOne()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 203, nodes: 1, backends: 2);
        try
        {
            var node = lab.Nodes[0];
            var lb = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = "web" });
            var web = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "web" });
            await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = lab.Backends[0].Address, port = LabDeployment.BackendHttpPort });
            var pem = SelfSignedCertificate.Create("shop.lab.test");
            var certificate = await lab.CreateAsync<CertificateResponse>("certificates", new { projectId = lab.Project.Id, name = "shop", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id });
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "https", protocol = "https", port = 443, defaultBackendGroupId = web.Id, tls = new { certificateId = certificate.Id } });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            var url = $"http://{lb.Vip}/";
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, url), TimeSpan.FromSeconds(20), () => "the VIP never served");

            await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={lab.ServerDatabase}"))
            {
                await database.OpenAsync();
                await using var swap = database.CreateCommand();
                swap.CommandText = "UPDATE Certificates SET ChainPem = $pem WHERE Id = $id";
                swap.Parameters.AddWithValue("$pem", SelfSignedCertificate.Create("other.lab.test").CertificatePem);
                swap.Parameters.AddWithValue("$id", certificate.Id);
                Assert.Equal(1, await swap.ExecuteNonQueryAsync());
            }

            await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = lab.Backends[1].Address, port = LabDeployment.BackendHttpPort });

            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).Error is not null,
                TimeSpan.FromSeconds(20),
                () => "the load balancer never showed the refusal");
            var reported = await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}");
            var status = await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}");
            var served = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                served.Add(FirstLine(await http.GetStringAsync(url)));
            }

            Assert.Contains("haproxy", status.Error, StringComparison.Ordinal);
            Assert.Equal(ProvisioningStatus.Error, status.ProvisioningStatus);
            Assert.Null(reported.LastError);
            Assert.All(served, name => Assert.Equal("be1", name));
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    private static string FirstLine(string body) => body.Split('\n')[0];
}
