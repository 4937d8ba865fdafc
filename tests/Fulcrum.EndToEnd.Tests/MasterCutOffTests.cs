using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// The VRRP side of the cluster in a lab of its own: cutting a node off leaves both nodes MASTER until it is back,
/// which would disturb any other test sharing the lab.
/// </summary>
public sealed class MasterCutOffTests(MasterCutOffTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<MasterCutOffTests.Fixture>
{
    /// <summary>The VIPs move with the VRRP instance although its adverts do not name them.</summary>
    [Fact]
    public Task Failover_MasterCutOffTheNetwork_TheOtherNodeServesTheVip() => fixture.RunAsync(output, async lab =>
    {
        var lb = await lab.CreateLoadBalancerAsync("failover");
        var group = await lab.CreateGroupAsync(lb, "web");
        await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id });
        var url = $"http://{lb.Vip}/";
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(2));
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);
        LabNode? master = null;
        await Eventually.TrueAsync(
            async () =>
            {
                foreach (var node in lab.Nodes)
                {
                    master = (await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).VrrpState == VrrpState.Master ? node : master;
                }

                return master is not null;
            },
            TimeSpan.FromSeconds(30),
            () => "no node reported MASTER");
        try
        {
            await master!.Host.DisconnectAsync();

            await Eventually.TrueAsync(() => Traffic.AnswersAsync(http, url, HttpStatusCode.OK), TimeSpan.FromSeconds(30), () => $"{url} was not served after its master was cut off");
            await Traffic.GetAsync(http, url, HttpStatusCode.OK);
        }
        finally
        {
            await master!.Host.ReconnectAsync();
            await Eventually.TrueAsync(() => Traffic.AnswersAsync(http, url, HttpStatusCode.OK), TimeSpan.FromSeconds(30), () => $"{url} was not served after the cut-off master came back");
        }
    });

    public sealed class Fixture() : LabFixture(subnet: 215, advertIntervalMs: VrrpSpec.DefaultAdvertIntervalMs);
}
