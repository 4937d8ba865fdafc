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
