using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

public sealed class StickinessLab() : TwoClientLabFixture(subnet: 225);

/// <summary>
/// Sticky sessions as clients see them through the VIP. Every request goes on a new connection, so that it is the
/// stickiness, not a kept-alive connection, that brings a client back to its backend.
/// </summary>
public sealed class StickinessTests(StickinessLab fixture, ITestOutputHelper output) : IClassFixture<StickinessLab>
{
    private const int Requests = 20;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly LabDeployment _lab = fixture.Lab;

    [Fact]
    public async Task SourceIpStickiness_KeepsEachClientOnOneBackend()
    {
        try
        {
            var (lb, _) = await LoadBalancerAsync("by-source", new { type = "sourceIp" });
            var url = $"http://{lb.Vip}/";
            using var first = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(5));
            using var second = fixture.SecondClient.PlainHttpClient(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(() => first.HttpSucceedsAsync(url), Wait, () => "the VIP never served");

            var firstServedBy = await ServedByAsync(first, url, Requests);
            var secondServedBy = await ServedByAsync(second, url, Requests);

            var firstBackend = Assert.Single(firstServedBy.Distinct());
            var secondBackend = Assert.Single(secondServedBy.Distinct());
            Assert.Matches("^be[123]$", firstBackend);
            Assert.Matches("^be[123]$", secondBackend);
            Assert.NotEqual(firstBackend, secondBackend);
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    [Fact]
    public async Task CookieStickiness_KeepsAClientWithTheCookieOnOneBackend_AndAnotherValueMovesIt()
    {
        try
        {
            var (lb, backends) = await LoadBalancerAsync("by-cookie", new { type = "cookieInsert" });
            var url = $"http://{lb.Vip}/";
            using var http = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(() => http.HttpSucceedsAsync(url), Wait, () => "the VIP never served");

            using var firstResponse = await http.GetAsync(url);
            var pinned = VipClient.FirstLine(await firstResponse.Content.ReadAsStringAsync());
            var setCookie = Assert.Single(firstResponse.Headers.GetValues("Set-Cookie"));
            var cookie = setCookie.Split(';')[0];
            var withCookie = await ServedByAsync(http, url, Requests, cookie);
            var withoutCookie = await ServedByAsync(http, url, 6);
            var other = backends.First(b => b.Name != pinned);
            var moved = await ServedByAsync(http, url, 5, $"{StickySessionSpec.DefaultCookieName}={other.Backend.Id}");

            Assert.StartsWith(StickySessionSpec.DefaultCookieName + "=", cookie, StringComparison.Ordinal);
            Assert.All(withCookie, name => Assert.Equal(pinned, name));
            Assert.Equal(["be1", "be2", "be3"], withoutCookie.Distinct().Order(StringComparer.Ordinal));
            Assert.All(moved, name => Assert.Equal(other.Name, name));
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    /// <summary>A load balancer with be1, be2 and be3 behind a sticky http listener on port 80.</summary>
    private async Task<(LoadBalancerResponse Lb, List<(string Name, BackendResponse Backend)> Backends)> LoadBalancerAsync(string name, object stickySession)
    {
        var lb = await _lab.CreateLoadBalancerAsync(name);
        var web = await _lab.CreateGroupAsync(lb, "web");
        var backends = await _lab.AddBackendsAsync(web, LabDeployment.BackendHttpPort);
        await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id, stickySession });
        return (lb, backends.Select((b, i) => ($"be{i + 1}", b)).ToList());
    }

    internal static async Task<List<string?>> ServedByAsync(HttpClient http, string url, int requests, string? cookie = null)
    {
        var served = new List<string?>();
        for (var i = 0; i < requests; i++)
        {
            served.Add(await http.ServedByAsync(url, cookie));
        }

        return served;
    }
}
