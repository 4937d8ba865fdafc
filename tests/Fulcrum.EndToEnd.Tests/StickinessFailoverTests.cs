using System.Net.Sockets;
using System.Text;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>Its own lab: the test cuts a node off the network.</summary>
public sealed class StickinessFailoverLab() : TwoClientLabFixture(subnet: 226);

public sealed class StickinessFailoverTests(StickinessFailoverLab fixture, ITestOutputHelper output) : IClassFixture<StickinessFailoverLab>
{
    private const int Requests = 20;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly LabDeployment _lab = fixture.Lab;

    /// <summary>
    /// The nodes share their stick tables (haproxy peers): once the MASTER is cut off, the node that takes the VIP over
    /// sends each client to the backend it had. The clients come back in the opposite order to the one they first
    /// came in, so that a node without the table, starting its round robin afresh, would swap their backends.
    /// </summary>
    [Fact]
    public async Task SourceIpStickiness_MasterCutOff_TheNewMasterKeepsEachClientOnItsBackend()
    {
        try
        {
            var lb = await _lab.CreateLoadBalancerAsync("sticky-failover");
            var web = await _lab.CreateGroupAsync(lb, "web");
            await _lab.AddBackendsAsync(web, LabDeployment.BackendHttpPort);
            var listener = await _lab.CreateAsync<ListenerResponse>("listeners", new
            {
                loadBalancerId = lb.Id,
                name = "http",
                protocol = "http",
                port = 80,
                defaultBackendGroupId = web.Id,
                stickySession = new { type = "sourceIp" },
            });
            var url = $"http://{lb.Vip}/";
            using var first = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(2));
            using var second = fixture.SecondClient.PlainHttpClient(TimeSpan.FromSeconds(2));
            await Eventually.TrueAsync(_lab.SettledAsync, TimeSpan.FromSeconds(60), () => "the cluster never settled");
            await Eventually.TrueAsync(() => second.HttpSucceedsAsync(url), Wait, () => "the VIP never served");

            var secondBefore = Assert.Single((await StickinessTests.ServedByAsync(second, url, Requests)).Distinct());
            var firstBefore = Assert.Single((await StickinessTests.ServedByAsync(first, url, Requests)).Distinct());
            // Waited for, not read once: a heartbeat late under load shows the MASTER offline for a moment.
            var master = await _lab.MasterAsync(LabApi.Deadline);
            var backup = _lab.Nodes.Single(n => n != master);
            var table = $"{listener.Id}_{web.Id}";
            await Eventually.TrueAsync(
                async () => await StickTableHoldsAsync(backup, table, fixture.Lab.Client.Address, fixture.SecondClientHost.Address),
                Wait,
                () => "the backup node's stick table never learnt the clients");

            output.WriteLine($"before: client on {firstBefore}, client2 on {secondBefore}; cutting off MASTER {master.Host.Namespace}");
            await master.Host.DisconnectAsync();
            string? firstAfter = null;
            List<string?> secondAfter;
            try
            {
                await Eventually.TrueAsync(
                    async () => (await _lab.GetAsync<NodeResponse>($"nodes/{backup.NodeId}")).VrrpState == VrrpState.Master,
                    Wait,
                    () => "the backup node never became MASTER");
                await Eventually.TrueAsync(
                    async () => (firstAfter = await first.ServedByAsync(url)) is not null,
                    Wait,
                    () => "the new MASTER never served through the VIP");
                secondAfter = await StickinessTests.ServedByAsync(second, url, Requests);
                output.WriteLine($"after: {backup.Host.Namespace} is MASTER, client on {firstAfter}, client2 on {string.Join(",", secondAfter.Distinct())}");
            }
            finally
            {
                await master.Host.ReconnectAsync();
                await Eventually.TrueAsync(_lab.SettledAsync, TimeSpan.FromSeconds(60), () => "the cluster never settled after the node came back");
            }

            Assert.NotEqual(firstBefore, secondBefore);
            Assert.Equal(firstBefore, firstAfter);
            Assert.All(secondAfter, name => Assert.Equal(secondBefore, name));
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    /// <summary>Whether the node's haproxy has a stick table entry for every address (its stats socket, <c>show table</c>).</summary>
    private static async Task<bool> StickTableHoldsAsync(LabNode node, string table, params string[] addresses)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(node.StateDirectory, "run", "haproxy.sock")));
        await socket.SendAsync(Encoding.ASCII.GetBytes($"show table {table}\n"), SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);
        var answer = new StringBuilder();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return addresses.All(address => answer.ToString().Contains($"key={address} ", StringComparison.Ordinal));
    }
}
