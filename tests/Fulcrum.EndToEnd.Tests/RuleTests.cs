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

    /// <summary>Conditions on what a request carries — a header, the query, the method, and one inverted — ANDed within a rule.</summary>
    [Fact]
    public Task Rules_Conditions_RouteByHeaderQueryAndMethod_AndAnInvertedOneRefusesTheRest() => fixture.RunAsync(output, async lab =>
    {
        var web = await WebAsync(lab, "conditions");
        await RuleAsync(lab, web, 1, new { conditions = new[] { new { type = ConditionType.Header, name = "X-Env", value = "canary" } } }, Forward(web.Groups["be2"]));
        await RuleAsync(
            lab,
            web,
            2,
            new { conditions = new object[] { new { type = ConditionType.Query, name = "beta", value = "1" }, new { type = ConditionType.Method, value = "GET" } } },
            Forward(web.Groups["be3"]));
        await RuleAsync(
            lab,
            web,
            3,
            new { host = "private.lab.test", conditions = new[] { new { type = ConditionType.Path, match = ValueMatch.Prefix, value = "/public/", invert = true } } },
            new { type = RuleActionType.Reject });
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, web.Lb, http, web.Url);

        Assert.Equal("be2", Traffic.FirstLine(await SendAsync(http, web, HttpMethod.Get, "/", "shop.lab.test", HttpStatusCode.OK, ("X-Env", "canary"))));
        Assert.Equal("be1", Traffic.FirstLine(await SendAsync(http, web, HttpMethod.Get, "/", "shop.lab.test", HttpStatusCode.OK, ("X-Env", "production"))));
        Assert.Equal("be3", Traffic.FirstLine(await SendAsync(http, web, HttpMethod.Get, "/list?beta=1", "shop.lab.test", HttpStatusCode.OK)));
        Assert.Equal("be1", Traffic.FirstLine(await SendAsync(http, web, HttpMethod.Post, "/list?beta=1", "shop.lab.test", HttpStatusCode.OK)));
        Assert.Equal("be1", Traffic.FirstLine(await SendAsync(http, web, HttpMethod.Get, "/list?beta=2", "shop.lab.test", HttpStatusCode.OK)));
        Assert.Equal("be1", Traffic.FirstLine(await SendAsync(http, web, HttpMethod.Get, "/public/logo.png", "private.lab.test", HttpStatusCode.OK)));
        await SendAsync(http, web, HttpMethod.Get, "/accounts", "private.lab.test", HttpStatusCode.Forbidden);
    });

    /// <summary>
    /// A fixed response answered by haproxy itself, and header changes both ways on a forwarded request: the backend
    /// sees the request header set, the client the response header set (quotes and spaces kept) and not the one removed.
    /// </summary>
    [Fact]
    public Task Rules_FixedResponseAndHeaderChanges_AsTheClientAndTheBackendSeeThem() => fixture.RunAsync(output, async lab =>
    {
        var web = await WebAsync(lab, "answers");
        await RuleAsync(
            lab,
            web,
            1,
            new { path = "/status", pathMatch = PathMatch.Exact },
            new { type = RuleActionType.FixedResponse, fixedResponse = new { statusCode = 503, contentType = "application/json", body = """{"status": "down for maintenance"}""" } });
        await RuleAsync(lab, web, 2, new { path = "/app/" }, new
        {
            type = RuleActionType.Forward,
            backendGroupId = web.Groups["be2"].Id,
            requestHeaders = new[] { new { op = HeaderOperation.Set, name = "X-Edge", value = "fulcrum edge%2F1" } },
            responseHeaders = new object[]
            {
                new { op = HeaderOperation.Set, name = "Content-Security-Policy", value = "default-src 'self'; img-src *" },
                new { op = HeaderOperation.Remove, name = "X-Backend" },
            },
        });
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, web.Lb, http, web.Url);

        using var fixedRequest = new HttpRequestMessage(HttpMethod.Get, web.Url + "status");
        using var fixedResponse = await http.SendAsync(fixedRequest);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fixedResponse.StatusCode);
        Assert.Equal("application/json", fixedResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"status": "down for maintenance"}""", await fixedResponse.Content.ReadAsStringAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, web.Url + "app/cart");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("be2", Traffic.FirstLine(body));
        // haproxy sends header names in lower case.
        Assert.Contains("x-edge: fulcrum edge%2F1", body.Split('\n'));
        Assert.Equal(["default-src 'self'; img-src *"], response.Headers.GetValues("Content-Security-Policy"));
        Assert.False(response.Headers.Contains("X-Backend"), "the backend's X-Backend header was not removed");
        Assert.Equal("be1", Traffic.FirstLine(await SendAsync(http, web, HttpMethod.Get, "/status/more", "shop.lab.test", HttpStatusCode.OK)));
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

    /// <summary>A request with the given method, host and headers; its body once its status is the one expected.</summary>
    private static async Task<string> SendAsync(
        HttpClient http, Web web, HttpMethod method, string path, string host, HttpStatusCode expected, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, web.Url.TrimEnd('/') + path);
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {host}{path}: {(int)response.StatusCode}, not {(int)expected}: {body}");
        return body;
    }

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
