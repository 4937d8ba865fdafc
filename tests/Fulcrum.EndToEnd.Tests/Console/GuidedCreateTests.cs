using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fulcrum.EndToEnd.Tests.Console;

/// <summary>The guided create on real agents: a bad port refused next to its field, then a load balancer that serves.</summary>
public sealed class GuidedCreateTests(GuidedCreateTests.Fixture fixture, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<GuidedCreateTests.Fixture>, IClassFixture<BrowserFixture>
{
    private static ILocator Field(IPage page, string path) => page.Locator($"[data-field='{path}']");

    private static ILocator ErrorNextTo(IPage page, string path) =>
        page.Locator($".mud-input-control:has([data-field='{path}']) .mud-input-helper-text.mud-input-error");

    [Fact]
    public Task Flow_WithAnHttpListenerAndTwoBackends_ReachesActive_AndServesThroughItsVip() => fixture.RunAsync(output, async lab =>
    {
        var member = await lab.CreateAsync<TokenResponse>("tokens", new { name = "console member", role = Role.Member, projectId = lab.Project.Id });
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, member.Secret!);
        await page.GotoAsync("loadbalancers/new");
        await ConsolePages.ConnectedAsync(page);

        await Field(page, "name").FillAsync("guided");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Field(page, "listeners[0].port").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(ErrorNextTo(page, "listeners[0].port")).ToContainTextAsync("between 1 and 65535");
        await ConsolePages.ScreenshotAsync(page, "create-flow");
        await Field(page, "listeners[0].port").FillAsync("80");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Field(page, "backendGroups[0].backends[0].address").FillAsync(lab.Backends[0].Address.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Add backend" }).ClickAsync();
        await Field(page, "backendGroups[0].backends[1].address").FillAsync(lab.Backends[1].Address.ToString());
        await Field(page, "backendGroups[0].backends[1].port").FillAsync(LabDeployment.BackendHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(page.Locator("[data-review]")).ToContainTextAsync($"{lab.Backends[1].Address}:{LabDeployment.BackendHttpPort}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create load balancer" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "guided", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-apply-progress]")).ToContainTextAsync("ACTIVE", new() { Timeout = 60_000 });
        var lb = (await lab.GetAsync<Page<LoadBalancerResponse>>($"load-balancers?projectId={lab.Project.Id}")).Items.Single(l => l.Name == "guided");
        using var http = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, lb, http, $"http://{lb.Vip}/");
    });

    [Fact]
    public Task AclEditor_WithABadCidr_ShowsTheErrorNextToIt_AndCannotSave() => fixture.RunAsync(output, async lab =>
    {
        await lab.CreateAsync<AclResponse>("acls", new { projectId = lab.Project.Id, name = "office", entries = new[] { new { cidr = "198.51.100.0/24" } } });
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);
        await page.GotoAsync("acls");
        await ConsolePages.ConnectedAsync(page);

        await page.Locator("[data-acl='office']").GetByRole(AriaRole.Button, new() { Name = "Edit entries" }).ClickAsync();
        await page.Locator("[data-entry='0'] input").First.FillAsync("198.51.100.0/33");

        await Expect(page.Locator("[data-entry='0'] .mud-input-helper-text.mud-input-error").First).ToContainTextAsync("must be an IPv4 or IPv6 address or CIDR block");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeDisabledAsync();
    });

    public sealed class Fixture() : LabFixture(subnet: 244);
}
