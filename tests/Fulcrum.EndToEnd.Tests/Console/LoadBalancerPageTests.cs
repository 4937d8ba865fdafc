using System.Text.RegularExpressions;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fulcrum.EndToEnd.Tests.Console;

/// <summary>A load balancer's page on real agents: ACTIVE, its backends' health, and its traffic charted as rates.</summary>
public sealed class LoadBalancerPageTests(LoadBalancerPageTests.Fixture fixture, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<LoadBalancerPageTests.Fixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Page_OfAServingLoadBalancer_ShowsItActive_ItsBackendsUp_AndItsTrafficPerSecond() => fixture.RunAsync(output, async lab =>
    {
        var lb = await lab.CreateLoadBalancerAsync("shop");
        var group = await lab.CreateGroupAsync(lb, "web");
        await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
        await lab.CreateBackendAsync(group, lab.Backends[1], LabDeployment.BackendHttpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new
        {
            loadBalancerId = lb.Id,
            name = "http",
            protocol = ListenerProtocol.Http,
            port = 80,
            defaultBackendGroupId = group.Id,
            healthCheck = new { type = HealthCheckType.Http, intervalMs = 1000 },
        });
        using var http = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(5));
        var url = $"http://{lb.Vip}/";
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);

        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);
        await page.GotoAsync($"loadbalancers/{lb.Id}");
        await ConsolePages.ConnectedAsync(page);
        await Expect(page.Locator("[data-apply-progress]")).ToContainTextAsync("ACTIVE");
        await Expect(page.Locator($"[data-health='{lab.Backends[0].Address}:{LabDeployment.BackendHttpPort}']")).ToHaveTextAsync("UP", new() { Timeout = 30_000 });

        // Rates need two completed 10 s steps of counters: keep traffic flowing until the chart has a peak above zero.
        var connections = page.Locator("[data-listener='http'] [data-legend='connections']");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Traffic.AnswersAsync(http, url, System.Net.HttpStatusCode.OK);
            }
        });
        try
        {
            await Expect(connections.Filter(new() { HasNotTextRegex = new Regex("peak 0/s") })).ToBeVisibleAsync(new() { Timeout = 80_000 });
            await Expect(page.Locator("[data-listener='http'] polyline[data-series='connections']")).ToBeVisibleAsync();
            // The answers were 200s: the responses chart shows them in their class, as a rate.
            await Expect(page.Locator("[data-listener='http'] [data-legend='2xx']").Filter(new() { HasNotTextRegex = new Regex("peak 0/s") }))
                .ToBeVisibleAsync(new() { Timeout = 30_000 });
            await ConsolePages.ScreenshotAsync(page, "loadbalancer");
        }
        finally
        {
            await stop.CancelAsync();
            await traffic;
        }
    });

    [Fact]
    public Task Page_DrainsABackend_AndDeletesTheLoadBalancerAfterListingWhatGoes() => fixture.RunAsync(output, async lab =>
    {
        var lb = await lab.CreateLoadBalancerAsync("drain");
        var group = await lab.CreateGroupAsync(lb, "api");
        var first = await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
        await lab.CreateBackendAsync(group, lab.Backends[1], LabDeployment.BackendHttpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 8081, defaultBackendGroupId = group.Id });
        await lab.WaitUntilActiveAsync(lb);
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);
        await page.GotoAsync($"loadbalancers/{lb.Id}");
        await ConsolePages.ConnectedAsync(page);
        var endpoint = $"{first.Address}:{first.Port}";

        await page.GetByRole(AriaRole.Button, new() { Name = $"Drain {endpoint}" }).ClickAsync();

        await Expect(page.Locator($"[data-state='{endpoint}']")).ToHaveTextAsync("draining: no new connections");
        Assert.Equal(BackendAdminState.Drain, (await lab.GetAsync<BackendResponse>($"backends/{first.Id}")).AdminState);
        await lab.WaitUntilActiveAsync(lb);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var confirmation = page.Locator("[data-delete-confirmation]");
        await Expect(confirmation).ToContainTextAsync($"the load balancer drain and its VIP {lb.Vip}");
        await Expect(confirmation).ToContainTextAsync("1 listener: http:8081");
        await Expect(confirmation).ToContainTextAsync("the backend group api with 2 backends");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete all of this" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Load balancers", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-lb='drain']")).ToHaveCountAsync(0);
        using var gone = await lab.Admin.GetAsync($"load-balancers/{lb.Id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    });

    [Fact]
    public Task Page_RenamesTheLoadBalancer_AddsABackendThatThenServes_AndEditsItsWeight() => fixture.RunAsync(output, async lab =>
    {
        var lb = await lab.CreateLoadBalancerAsync("edit");
        var group = await lab.CreateGroupAsync(lb, "web");
        var first = await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 8082, defaultBackendGroupId = group.Id });
        using var http = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(5));
        var url = $"http://{lb.Vip}:8082/";
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);
        await page.GotoAsync($"loadbalancers/{lb.Id}");
        await ConsolePages.ConnectedAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        var details = page.Locator("[data-edit='loadbalancer']");
        await details.Locator("[data-field='name']").FillAsync("");
        await details.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(details.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("is required.");
        await details.Locator("[data-field='name']").FillAsync("edit-renamed");
        await details.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "edit-renamed", Level = 1 })).ToBeVisibleAsync();
        Assert.Equal("edit-renamed", (await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).Name);

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a backend to web" }).ClickAsync();
        var added = page.Locator("[data-edit='backend']");
        await added.Locator("[data-field='address']").FillAsync(lab.Backends[1].Address.ToString());
        await added.Locator("[data-field='port']").FillAsync(LabDeployment.BackendHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await added.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        var second = $"{lab.Backends[1].Address}:{LabDeployment.BackendHttpPort}";
        await Expect(page.Locator($"[data-health='{second}']")).ToBeVisibleAsync();
        await lab.WaitUntilActiveAsync(lb);
        Assert.Equal(["be1", "be2"], (await Traffic.ServedByAsync(http, url, 6)).Distinct().Order(StringComparer.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit {first.Address}:{first.Port}" }).ClickAsync();
        var edited = page.Locator("[data-edit='backend']");
        await edited.Locator("[data-field='weight']").FillAsync("0");
        await edited.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("[data-edit='backend']")).ToHaveCountAsync(0);
        Assert.Equal(0, (await lab.GetAsync<BackendResponse>($"backends/{first.Id}")).Weight);
        await lab.WaitUntilActiveAsync(lb);
        Assert.Equal(["be2"], (await Traffic.ServedByAsync(http, url, 6)).Distinct());
    });

    [Fact]
    public Task Page_MovesAListenerToAnotherPort_AndAddsARuleThatRoutes_BothServingThroughTheVip() => fixture.RunAsync(output, async lab =>
    {
        var lb = await lab.CreateLoadBalancerAsync("forms");
        var web = await lab.CreateGroupAsync(lb, "web");
        await lab.CreateBackendAsync(web, lab.Backends[0], LabDeployment.BackendHttpPort);
        var api = await lab.CreateGroupAsync(lb, "api");
        await lab.CreateBackendAsync(api, lab.Backends[1], LabDeployment.BackendHttpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 8083, defaultBackendGroupId = web.Id });
        using var http = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, lb, http, $"http://{lb.Vip}:8083/");
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, lab.AdminToken);
        await page.GotoAsync($"loadbalancers/{lb.Id}");
        await ConsolePages.ConnectedAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit listener http" }).ClickAsync();
        var listener = page.Locator("[data-edit='listener']");
        await listener.Locator("[data-field='port']").FillAsync("8084");
        await listener.GetByRole(AriaRole.Button, new() { Name = "Save listener" }).ClickAsync();
        await Expect(page.Locator("[data-listener='http']")).ToContainTextAsync("HTTP :8084");
        await lab.WaitUntilActiveAsync(lb);
        var url = $"http://{lb.Vip}:8084/";
        Assert.Equal(["be1"], (await Traffic.ServedByAsync(http, url, 4)).Distinct());

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a rule to http" }).ClickAsync();
        var rule = page.Locator("[data-edit='rule']");
        await rule.Locator("[data-field='name']").FillAsync("api");
        await rule.Locator("[data-field='match.path']").FillAsync("/api");
        await ConsolePages.ChooseAsync(page, rule, "action.backendGroupId", "api");
        await rule.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        await Expect(page.Locator("[data-edit='rule']")).ToHaveCountAsync(0);
        await lab.WaitUntilActiveAsync(lb);

        Assert.Equal(["be2"], (await Traffic.ServedByAsync(http, url + "api/orders", 4)).Distinct());
        Assert.Equal(["be1"], (await Traffic.ServedByAsync(http, url + "shop", 4)).Distinct());
        await ConsolePages.ScreenshotAsync(page, "loadbalancer-forms");
    });

    public sealed class Fixture() : LabFixture(subnet: 243);
}
