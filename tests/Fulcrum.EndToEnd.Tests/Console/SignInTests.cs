using System.Net;
using Fulcrum.Core.Api;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fulcrum.EndToEnd.Tests.Console;

/// <summary>
/// The console in chromium against a lab's server, started from its build output in Production as ./run starts it:
/// signing in and out, what a viewer sees, and that the console's cookie writes nothing through the REST API.
/// </summary>
public sealed class SignInTests(SignInTests.Fixture fixture, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<SignInTests.Fixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task SignIn_AdminToken_ShowsTheClusterAndItsNodes() => fixture.RunAsync(output, async lab =>
    {
        var page = await browser.NewPageAsync(lab.ServerUrl);

        await ConsolePages.SignInAsync(page, lab.AdminToken);

        await Expect(page.GetByTestId("whoami")).ToContainTextAsync("Admin");
        var cluster = page.GetByTestId("cluster-lab");
        await Expect(cluster).ToBeVisibleAsync();
        await Expect(cluster.GetByTestId("node-nodea")).ToBeVisibleAsync();
        await Expect(cluster.GetByTestId("node-nodeb")).ToBeVisibleAsync();
        var revision = (await lab.GetAsync<ClusterResponse>($"clusters/{lab.Cluster.Id}")).Revision;
        await Expect(cluster.GetByTestId("node-nodea")).ToContainTextAsync($"{revision} / {revision}");
        await ConsolePages.ScreenshotAsync(page, "overview-signed-in");

        await page.SetViewportSizeAsync(420, 860);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Show or hide the menu" })).ToBeVisibleAsync();
        await ConsolePages.ScreenshotAsync(page, "overview-narrow");
    });

    [Fact]
    public Task SignIn_WrongToken_ShowsAnError() => fixture.RunAsync(output, async lab =>
    {
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await page.GotoAsync("/");

        await page.GetByLabel("API token").FillAsync("fat_" + new string('0', 64));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That token is not valid");
        await Expect(page.GetByLabel("API token")).ToHaveValueAsync("");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in"));
    });

    [Fact]
    public Task SignOut_ReturnsToSignInAndKeepsTheConsoleClosed() => fixture.RunAsync(output, async lab =>
    {
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Viewer_SeesNoWriteButtons_AndTheCookieWritesNothing() => fixture.RunAsync(output, async lab =>
    {
        var viewer = await lab.CreateAsync<TokenResponse>("tokens", new { name = "console viewer", role = Role.Viewer, projectId = lab.Project.Id });
        var page = await browser.NewPageAsync(lab.ServerUrl);

        await ConsolePages.SignInAsync(page, viewer.Secret!);

        await Expect(page.GetByTestId("whoami")).ToContainTextAsync("Viewer");
        await Expect(page.GetByTestId("node-nodea")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Clusters and nodes" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Create a load balancer" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create a load balancer" })).ToHaveCountAsync(0);

        // The browser sends the console's cookie with this request, as it would with one another site made it send.
        var forged = await page.APIRequest.PostAsync("/api/v1/load-balancers", new APIRequestContextOptions
        {
            DataObject = new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = "forged" },
        });
        Assert.Equal((int)HttpStatusCode.Unauthorized, forged.Status);
        var loadBalancers = await lab.GetAsync<Page<LoadBalancerResponse>>("load-balancers");
        Assert.DoesNotContain(loadBalancers.Items, lb => lb.Name == "forged");
    });

    public sealed class Fixture() : LabFixture(subnet: 240);
}
