using System.Net;
using Fulcrum.Lab.Network;

namespace Fulcrum.EndToEnd.Tests;

public sealed class LabSmokeTests
{
    [Fact]
    public async Task Lab_BackendInOneNamespace_AnswersAClientInAnother_AndTearDownLeavesNothing()
    {
        string hub;
        await using (var lab = await LabNetwork.CreateAsync(subnet: 201))
        {
            hub = lab.Hub;
            var backend = await lab.AddHostAsync("be1");
            var client = await lab.AddHostAsync("client");
            var server = lab.Start("be1", backend, "dotnet", [Programs.Lab, "serve", "--name", "be1", "--http", "8080", "--udp", "5353"]);
            await Programs.WaitForOutputAsync(server, "be1 ready");
            using var sockets = new NamespaceSockets(client.Namespace);
            using var http = sockets.HttpClient(TimeSpan.FromSeconds(5));

            var answer = await http.GetStringAsync($"http://{backend.Address}:8080/");
            var echo = await sockets.UdpExchangeAsync(new IPEndPoint(IPAddress.Parse(backend.Address), 5353), "ping", TimeSpan.FromSeconds(5));

            Assert.StartsWith("be1\n", answer, StringComparison.Ordinal);
            Assert.Equal("be1 ping", echo);
        }

        Assert.DoesNotContain(hub, await Ip.RunAsync("netns", "list"), StringComparison.Ordinal);
    }
}
