using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fulcrum.EndToEnd.Tests.Console;

/// <summary>
/// The overview follows the cluster live: the MASTER cut off the network, the other node is shown MASTER and the
/// cut-off one offline, in the page as it stands (no reload). A lab of its own: the cut-off disturbs any other test.
/// </summary>
public sealed class OverviewLiveTests(OverviewLiveTests.Fixture fixture, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<OverviewLiveTests.Fixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Overview_MasterCutOff_ShowsTheOtherNodeMasterWithoutReload() => fixture.RunAsync(output, async lab =>
    {
        // keepalived runs a VRRP instance once the cluster has a VIP to carry.
        var lb = await lab.CreateLoadBalancerAsync("live");
        var group = await lab.CreateGroupAsync(lb, "web");
        await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
        await lab.CreateBackendAsync(group, lab.Backends[1], LabDeployment.BackendHttpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id });
        var (master, other) = await MasterAndOtherAsync(lab);
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);
        await Expect(page.GetByTestId("lb-live")).ToContainTextAsync("ACTIVE");
        await ConsolePages.ScreenshotAsync(page, "overview");
        await Expect(page.GetByTestId($"node-{master.Name}").GetByTestId("state")).ToHaveTextAsync("MASTER");
        // Still there afterwards only if the page was never loaded again.
        await page.EvaluateAsync("() => window.fulcrumSamePage = true");

        var cutOff = lab.Nodes.Single(n => n.NodeId == master.Id);
        await cutOff.Host.DisconnectAsync();
        try
        {
            await Expect(page.GetByTestId($"node-{other.Name}").GetByTestId("state")).ToHaveTextAsync("MASTER", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId($"node-{master.Name}").GetByTestId("offline")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => window.fulcrumSamePage === true"), "The overview was loaded again instead of following the change live.");
            await ConsolePages.ScreenshotAsync(page, "overview-failover");
        }
        finally
        {
            await cutOff.Host.ReconnectAsync();
        }
    });

    private static async Task<(NodeResponse Master, NodeResponse Other)> MasterAndOtherAsync(LabDeployment lab)
    {
        NodeResponse[] nodes = [];
        await Eventually.TrueAsync(
            async () =>
            {
                nodes = [.. (await lab.GetAsync<Page<NodeResponse>>($"nodes?clusterId={lab.Cluster.Id}")).Items];
                return nodes.Count(n => n.VrrpState == VrrpState.Master) == 1 && nodes.All(n => n.Online);
            },
            TimeSpan.FromSeconds(30),
            () => "the lab's cluster never had exactly one MASTER");
        return (nodes.Single(n => n.VrrpState == VrrpState.Master), nodes.Single(n => n.VrrpState != VrrpState.Master));
    }

    public sealed class Fixture() : LabFixture(subnet: 241, advertIntervalMs: VrrpSpec.DefaultAdvertIntervalMs);
}
