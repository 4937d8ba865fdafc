using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

public sealed class UdpLab() : TwoClientLabFixture(subnet: 222);

/// <summary>UDP listeners (nginx) as a client sees them through the VIP.</summary>
public sealed class UdpTests(UdpLab fixture, ITestOutputHelper output) : IClassFixture<UdpLab>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly LabDeployment _lab = fixture.Lab;

    [Fact]
    public async Task Udp_DatagramsThroughTheVip_ReachTheBackendsInRoundRobinAndAreAnswered()
    {
        try
        {
            var lb = await _lab.CreateLoadBalancerAsync("dns");
            var dns = await _lab.CreateGroupAsync(lb, "dns");
            await _lab.AddBackendsAsync(dns, LabDeployment.BackendUdpPort);
            await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "dns", protocol = "udp", port = 53, defaultBackendGroupId = dns.Id });
            var vip = new IPEndPoint(IPAddress.Parse(lb.Vip), 53);
            await Eventually.TrueAsync(
                async () => await fixture.Client.UdpExchangeAsync(vip, "probe", TimeSpan.FromSeconds(1)) is not null,
                Wait,
                () => "the VIP never answered a datagram");

            var answers = new List<string?>();
            for (var i = 0; i < 30; i++)
            {
                answers.Add(await fixture.Client.UdpExchangeAsync(vip, $"query {i}", TimeSpan.FromSeconds(2)));
            }

            output.WriteLine(string.Join(", ", answers));
            Assert.All(answers.Select((answer, i) => (answer, i)), a => Assert.Matches($"^be[123] query {a.i}$", a.answer));
            var servedBy = answers.Select(a => a![..3]).ToList();
            Assert.Equal(["be1", "be2", "be3"], servedBy.Take(3).Order(StringComparer.Ordinal));
            Assert.Equal(Enumerable.Range(0, servedBy.Count).Select(i => servedBy[i % 3]), servedBy);
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    [Fact]
    public async Task TcpAndUdpListeners_OnOnePortNumber_AreBothServed()
    {
        try
        {
            var lb = await _lab.CreateLoadBalancerAsync("shared-port");
            var tcp = await _lab.CreateGroupAsync(lb, "tcp");
            var udp = await _lab.CreateGroupAsync(lb, "udp");
            await _lab.AddBackendsAsync(tcp, LabDeployment.BackendTcpPort);
            await _lab.AddBackendsAsync(udp, LabDeployment.BackendUdpPort);
            await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "tcp", protocol = "tcp", port = 5000, defaultBackendGroupId = tcp.Id });
            await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "udp", protocol = "udp", port = 5000, defaultBackendGroupId = udp.Id });
            var vip = new IPEndPoint(IPAddress.Parse(lb.Vip), 5000);
            await Eventually.TrueAsync(
                async () => await fixture.Client.UdpExchangeAsync(vip, "probe", TimeSpan.FromSeconds(1)) is not null && await TcpServedAsync(vip),
                Wait,
                () => "the VIP never served both protocols on one port");

            var (greeting, echo) = await fixture.Client.TcpEchoAsync(vip, "hello over tcp");
            var answer = await fixture.Client.UdpExchangeAsync(vip, "hello over udp", TimeSpan.FromSeconds(2));

            Assert.Matches("^be[123]$", greeting);
            Assert.Equal("hello over tcp", echo);
            Assert.Matches("^be[123] hello over udp$", answer);
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    private async Task<bool> TcpServedAsync(IPEndPoint vip)
    {
        try
        {
            return (await fixture.Client.TcpEchoAsync(vip, "probe")).Echo == "probe";
        }
        catch (Exception e) when (VipClient.IsRefusal(e) || e is OperationCanceledException)
        {
            return false;
        }
    }
}
