using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>Layer 7 rules of an http listener, as a client sees them: who answers, or which redirect or refusal.</summary>
public sealed class RuleTests(RuleTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<RuleTests.Fixture>
{
    [Fact]
    public Task Rules_HostAndPath_RouteToTheirGroups_OthersToTheDefault() => fixture.RunAsync(output, async lab =>
    {
        var web = await WebAsync(lab, "routes");
        await RuleAsync(lab, web, 1, new { host = "api.lab.test" }, Forward(web.Groups["be2"]));
        await RuleAsync(lab, web, 2, new { path = "/static/" }, Forward(web.Groups["be3"]));
        await RuleAsync(lab, web, 3, new { host = "*.img.lab.test", path = "/thumbs", pathMatch = PathMatch.Exact }, Forward(web.Groups["be3"]));
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, web.Lb, http, web.Url);

        Assert.Equal("be2", await ServedByAsync(http, web, "/anything", "api.lab.test"));
        Assert.Equal("be2", await ServedByAsync(http, web, "/", "API.lab.test:80"));
        Assert.Equal("be3", await ServedByAsync(http, web, "/static/app.js", "www.lab.test"));
        Assert.Equal("be1", await ServedByAsync(http, web, "/static", "www.lab.test"));
        Assert.Equal("be3", await ServedByAsync(http, web, "/thumbs", "a.img.lab.test"));
        Assert.Equal("be1", await ServedByAsync(http, web, "/thumbs/1", "a.img.lab.test"));
        Assert.Equal("be1", await ServedByAsync(http, web, "/thumbs", "img.lab.test"));
        Assert.Equal("be1", await ServedByAsync(http, web, "/", "www.lab.test"));
    });

    [Fact]
    public Task Rules_Redirect_AnswersTheConfiguredCodeAndLocation() => fixture.RunAsync(output, async lab =>
    {
        var web = await WebAsync(lab, "redirects");
        await RuleAsync(lab, web, 1, new { path = "/old" }, new { type = RuleActionType.Redirect, redirect = new { path = "/new", code = 301 } });
        await RuleAsync(lab, web, 2, new { host = "plain.lab.test" }, new { type = RuleActionType.Redirect, redirect = new { scheme = RedirectScheme.Https, host = "secure.lab.test", code = 308 } });
        await RuleAsync(lab, web, 3, new { path = "/elsewhere" }, new { type = RuleActionType.Redirect, redirect = new { port = 8443 } });
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), followRedirects: false);
        await Traffic.WaitUntilServingAsync(lab, web.Lb, http, web.Url);

        var moved = await RedirectAsync(http, web, "/old?page=2", "shop.lab.test");
        var movedWithoutQuery = await RedirectAsync(http, web, "/old", "shop.lab.test");
        var secure = await RedirectAsync(http, web, "/cart?id=7", "plain.lab.test");
        var port = await RedirectAsync(http, web, "/elsewhere", "shop.lab.test:80");

        Assert.Equal((HttpStatusCode.MovedPermanently, "http://shop.lab.test/new?page=2"), moved);
        Assert.Equal((HttpStatusCode.MovedPermanently, "http://shop.lab.test/new"), movedWithoutQuery);
        Assert.Equal((HttpStatusCode.PermanentRedirect, "https://secure.lab.test/cart?id=7"), secure);
        Assert.Equal((HttpStatusCode.Found, "http://shop.lab.test:8443/elsewhere"), port);
        Assert.Equal("be1", await ServedByAsync(http, web, "/other", "shop.lab.test"));
    });

    [Fact]
    public Task Rules_Reject_AnswersItsStatus() => fixture.RunAsync(output, async lab =>
    {
        var web = await WebAsync(lab, "rejects");
        await RuleAsync(lab, web, 1, new { path = "/admin" }, new { type = RuleActionType.Reject });
        await RuleAsync(lab, web, 2, new { host = "busy.lab.test" }, new { type = RuleActionType.Reject, statusCode = 429 });
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, web.Lb, http, web.Url);

        await Traffic.GetAsync(http, web.Url + "admin/users", HttpStatusCode.Forbidden, "shop.lab.test");
        await Traffic.GetAsync(http, web.Url, HttpStatusCode.TooManyRequests, "busy.lab.test");
        Assert.Equal("be1", await ServedByAsync(http, web, "/", "shop.lab.test"));
    });

    /// <summary>
    /// Rules act by position, not by creation order, and the first that matches wins — also when it forwards and a
    /// later one would redirect or reject.
    /// </summary>
    [Fact]
    public Task Rules_SeveralMatch_TheFirstByPositionWins() => fixture.RunAsync(output, async lab =>
    {
        var web = await WebAsync(lab, "order");
        await RuleAsync(lab, web, 30, new { path = "/shop" }, Forward(web.Groups["be3"]));
        await RuleAsync(lab, web, 20, new { host = "shop.lab.test" }, Forward(web.Groups["be2"]));
        await RuleAsync(lab, web, 10, new { path = "/shop/closed" }, new { type = RuleActionType.Reject, statusCode = 410 });
        await RuleAsync(lab, web, 40, new { path = "/shop" }, new { type = RuleActionType.Redirect, redirect = new { path = "/never" } });
        await RuleAsync(lab, web, 50, new { host = "shop.lab.test" }, new { type = RuleActionType.Reject });
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), followRedirects: false);
        await Traffic.WaitUntilServingAsync(lab, web.Lb, http, web.Url);

        Assert.Equal("be2", await ServedByAsync(http, web, "/shop/cart", "shop.lab.test"));
        Assert.Equal("be3", await ServedByAsync(http, web, "/shop/cart", "www.lab.test"));
        await Traffic.GetAsync(http, web.Url + "shop/closed", HttpStatusCode.Gone, "shop.lab.test");
        Assert.Equal("be1", await ServedByAsync(http, web, "/about", "www.lab.test"));
    });

    /// <summary>A load balancer with an http listener on port 80 whose default group is be1, and a group for each other backend.</summary>
    private static async Task<Web> WebAsync(LabDeployment lab, string name)
    {
        var lb = await lab.CreateLoadBalancerAsync(name);
        var groups = new Dictionary<string, BackendGroupResponse>(StringComparer.Ordinal);
        foreach (var host in lab.Backends)
        {
            var group = await lab.CreateGroupAsync(lb, LabApi.NameOf(host));
            await lab.CreateBackendAsync(group, host, LabDeployment.BackendHttpPort);
            groups[LabApi.NameOf(host)] = group;
        }

        var listener = await lab.CreateAsync<ListenerResponse>("listeners", new
        {
            loadBalancerId = lb.Id,
            name = "http",
            protocol = ListenerProtocol.Http,
            port = 80,
            defaultBackendGroupId = groups["be1"].Id,
        });
        return new Web(lb, listener, groups, $"http://{lb.Vip}/");
    }

    private static Task<RuleResponse> RuleAsync(LabDeployment lab, Web web, int position, object match, object action) =>
        lab.CreateAsync<RuleResponse>("rules", new { listenerId = web.Listener.Id, name = $"rule-{position}", position, match, action });

    private static object Forward(BackendGroupResponse group) => new { type = RuleActionType.Forward, backendGroupId = group.Id };

    private static async Task<string> ServedByAsync(HttpClient http, Web web, string path, string host) =>
        Traffic.FirstLine(await Traffic.GetAsync(http, web.Url.TrimEnd('/') + path, HttpStatusCode.OK, host));

    private static async Task<(HttpStatusCode, string?)> RedirectAsync(HttpClient http, Web web, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, web.Url.TrimEnd('/') + path);
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Headers.Location?.OriginalString);
    }

    private sealed record Web(LoadBalancerResponse Lb, ListenerResponse Listener, IReadOnlyDictionary<string, BackendGroupResponse> Groups, string Url);

    public sealed class Fixture() : LabFixture(subnet: 212);
}
