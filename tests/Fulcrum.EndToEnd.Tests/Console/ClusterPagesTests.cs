using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fulcrum.EndToEnd.Tests.Console;

/// <summary>
/// An admin shapes clusters in the console: creates one (a bad field answered next to it), makes a join token and
/// gets the exact join command; watches a node join, changes its priority and removes it. A viewer who opens the
/// create form anyway is refused by the operation.
/// </summary>
public sealed class ClusterPagesTests(ClusterPagesTests.Fixture fixture, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<ClusterPagesTests.Fixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task CreateCluster_ThenJoinToken_ShowsTheJoinCommand() => fixture.RunAsync(output, async lab =>
    {
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "Clusters and nodes" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New cluster" }).ClickAsync();

        await page.GetByLabel("Name").First.FillAsync("edge");
        await page.GetByLabel("Virtual router id").FillAsync("77");
        await page.GetByLabel("VIP pools").FillAsync("198.18.242.100-198.18.242.120\nnot-a-range");
        await ConsolePages.ScreenshotAsync(page, "cluster-create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create cluster" }).ClickAsync();

        await Expect(page.GetByText("Line 2: must be a CIDR block")).ToBeVisibleAsync();
        await page.GetByLabel("VIP pools").FillAsync("198.18.242.100-198.18.242.120");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create cluster" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "edge", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("No node has joined yet")).ToBeVisibleAsync();
        await page.GetByLabel("Description").FillAsync("rack 4");
        await page.GetByLabel("Nodes", new() { Exact = true }).FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make join token" }).ClickAsync();

        var command = page.GetByTestId("join-command-text");
        await Expect(command).ToContainTextAsync($"fulcrum-agent join --server {lab.ServerUrl.ToString().TrimEnd('/')} --server-fingerprint {lab.ServerFingerprint} --token fjt_");
        await Expect(page.GetByTestId("uses")).ToHaveTextAsync("0 of 2");
        await ConsolePages.ScreenshotAsync(page, "cluster-join-token");
        var clusters = await lab.GetAsync<Page<ClusterResponse>>("clusters");
        var edge = Assert.Single(clusters.Items, c => c.Name == "edge");
        Assert.Equal(["198.18.242.100-198.18.242.120"], edge.VipPools);
        Assert.Equal(new VrrpSpec(77, VrrpSpec.DefaultAdvertIntervalMs, false, true), edge.Vrrp);
    });

    [Fact]
    public Task ClusterPage_NodeJoins_AppearsLive_ThenPriorityChangedAndRemoved() => fixture.RunAsync(output, async lab =>
    {
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);
        await page.GotoAsync($"clusters/{lab.Cluster.Id}");
        await ConsolePages.ConnectedAsync(page);
        await Expect(page.GetByTestId("node-nodea")).ToBeVisibleAsync();

        var joined = await lab.StartNodeAsync("nodec");

        var row = page.GetByTestId("node-nodec");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByTestId($"join-token-{(await LastJoinTokenAsync(lab)).Id}").GetByTestId("uses")).ToHaveTextAsync("1 of 1");
        await ConsolePages.ScreenshotAsync(page, "cluster-nodes");

        await row.GetByLabel("Priority of nodec").FillAsync("42");
        await row.GetByLabel("Priority of nodec").PressAsync("Tab");
        await row.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Eventually.TrueAsync(
            async () => (await lab.GetAsync<NodeResponse>($"nodes/{joined.NodeId}")).Priority == 42,
            TimeSpan.FromSeconds(15),
            () => "the node's priority was not changed to 42");

        await row.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove node" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        var nodes = await lab.GetAsync<Page<NodeResponse>>($"nodes?clusterId={lab.Cluster.Id}");
        Assert.DoesNotContain(nodes.Items, n => n.Id == joined.NodeId);
    });

    /// <summary>The MASTER put in maintenance from its row: the other node takes the VIPs and the row says so; released, the node is BACKUP again.</summary>
    [Fact]
    public Task ClusterPage_MasterPutInMaintenance_TheOtherNodeTakesTheVips_ThenReleased() => fixture.RunAsync(output, async lab =>
    {
        // A VIP for the nodes to hold: without a load balancer there is nothing for VRRP to elect a MASTER for.
        var lb = await lab.CreateLoadBalancerAsync("maintained");
        var group = await lab.CreateGroupAsync(lb, "web");
        await lab.AddBackendsAsync(group, LabDeployment.BackendHttpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id });
        await Eventually.TrueAsync(lab.SettledAsync, LabApi.Deadline, () => "the cluster never settled");
        var nodes = await lab.NodesAsync();
        var master = nodes.Single(n => n.VrrpState == VrrpState.Master);
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);
        await page.GotoAsync($"clusters/{lab.Cluster.Id}");
        await ConsolePages.ConnectedAsync(page);
        var row = page.GetByTestId($"node-{master.Name}");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Put {master.Name} in maintenance" }).ClickAsync();

        await Expect(row.GetByTestId("maintenance")).ToBeVisibleAsync();
        await Eventually.TrueAsync(
            async () => (await lab.NodesAsync()) is var now && now.Single(n => n.Id == master.Id).VrrpState == VrrpState.Fault
                && now.Count(n => n.Online && n.VrrpState == VrrpState.Master) == 1,
            LabApi.Deadline,
            () => $"{master.Name} in maintenance never handed the VIPs to another node");
        await ConsolePages.ScreenshotAsync(page, "cluster-maintenance");

        await row.GetByRole(AriaRole.Button, new() { Name = $"End maintenance of {master.Name}" }).ClickAsync();

        await Expect(row.GetByTestId("maintenance")).ToHaveCountAsync(0);
        await Eventually.TrueAsync(
            async () => (await lab.GetAsync<NodeResponse>($"nodes/{master.Id}")).VrrpState == VrrpState.Backup,
            LabApi.Deadline,
            () => $"{master.Name} released never took part in VRRP again");
    });

    [Fact]
    public Task Viewer_OpensTheCreateFormAnyway_TheOperationRefuses() => fixture.RunAsync(output, async lab =>
    {
        var viewer = await lab.CreateAsync<TokenResponse>("tokens", new { name = "cluster viewer", role = Role.Viewer, projectId = lab.Project.Id });
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, viewer.Secret!);
        await page.GotoAsync("clusters");
        await ConsolePages.ConnectedAsync(page);
        await Expect(page.GetByTestId("cluster-row-lab")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "New cluster" })).ToHaveCountAsync(0);

        await page.GotoAsync("clusters/new");
        await ConsolePages.ConnectedAsync(page);
        await page.GetByLabel("Name").First.FillAsync("sneaky");
        await page.GetByLabel("Virtual router id").FillAsync("99");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create cluster" }).ClickAsync();

        await Expect(page.GetByTestId("form-problem")).ToContainTextAsync("Not allowed: This needs an admin token.");
        var clusters = await lab.GetAsync<Page<ClusterResponse>>("clusters");
        Assert.DoesNotContain(clusters.Items, c => c.Name == "sneaky");
    });

    private static async Task<JoinTokenResponse> LastJoinTokenAsync(Fulcrum.Lab.LabDeployment lab) =>
        (await lab.GetAsync<Page<JoinTokenResponse>>($"join-tokens?clusterId={lab.Cluster.Id}&limit=100")).Items.MaxBy(t => t.CreatedAt)!;

    public sealed class Fixture() : LabFixture(subnet: 242);
}
