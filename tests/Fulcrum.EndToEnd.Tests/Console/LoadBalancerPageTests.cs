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

    public sealed class Fixture() : LabFixture(subnet: 243);
}
