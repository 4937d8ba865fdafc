using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// Whether a backend learns who the client is: X-Forwarded-For on http listeners, the PROXY protocol on tcp
/// listeners (to a sample backend that expects it and greets with the address it read).
/// </summary>
public sealed class ClientAddressTests(ClientAddressTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<ClientAddressTests.Fixture>
{
    [Fact]
    public Task ForwardedHeaders_Enabled_BackendSeesTheClientAddressLastInXForwardedFor() => fixture.RunAsync(output, async lab =>
    {
        var url = await HttpAsync(lab, "xff", forwardedHeaders: true);
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));

        var plain = Headers(await Traffic.GetAsync(http, url, HttpStatusCode.OK));
        using var spoofing = new HttpRequestMessage(HttpMethod.Get, url);
        spoofing.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var spoofed = await http.SendAsync(spoofing);
        var spoofedHeaders = Headers(await spoofed.Content.ReadAsStringAsync());

        Assert.Equal([lab.Client.Address], ForwardedFor(plain));
        Assert.Equal(["http"], plain["X-Forwarded-Proto"]);
        Assert.Equal(["8080"], plain["X-Forwarded-Port"]);
        Assert.Equal(["203.0.113.9", lab.Client.Address], ForwardedFor(spoofedHeaders));
    });

    [Fact]
    public Task ForwardedHeaders_Disabled_BackendSeesNoXForwardedFor() => fixture.RunAsync(output, async lab =>
    {
        var url = await HttpAsync(lab, "noxff", forwardedHeaders: false);
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));

        var headers = Headers(await Traffic.GetAsync(http, url, HttpStatusCode.OK));

        Assert.False(headers.Contains("X-Forwarded-For"));
    });

    /// <summary>haproxy's health checks carry a PROXY header too (LOCAL / UNKNOWN), or the backend would be reported DOWN.</summary>
    [Theory]
    [InlineData(ProxyProtocol.V1)]
    [InlineData(ProxyProtocol.V2)]
    public Task ProxyProtocol_TcpListener_BackendReadsTheClientAddress(ProxyProtocol version) => fixture.RunAsync(output, async lab =>
    {
        const int port = 7000;
        var lb = await lab.CreateLoadBalancerAsync($"proxy-{version}".ToLowerInvariant());
        var group = await lab.CreateGroupAsync(lb, "pp");
        var backend = await lab.CreateBackendAsync(group, fixture.ProxyProtocolBackend, LabDeployment.BackendTcpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new
        {
            loadBalancerId = lb.Id,
            name = "tcp",
            protocol = ListenerProtocol.Tcp,
            port,
            defaultBackendGroupId = group.Id,
            proxyProtocol = version,
            healthCheck = new { type = HealthCheckType.Tcp, intervalMs = 200, timeoutMs = 200, rise = 2, fall = 2 },
        });
        await Eventually.TrueAsync(
            async () =>
            {
                using var probe = await TcpSession.TryOpenAsync(fixture.Client, lb.Vip, port);
                return probe is not null;
            },
            TimeSpan.FromSeconds(30),
            () => $"{lb.Vip}:{port} never greeted");
        await lab.WaitUntilActiveAsync(lb);

        using var session = await TcpSession.OpenAsync(fixture.Client, lb.Vip, port);

        Assert.Equal($"pp1 from {lab.Client.Address} (PROXY {version.ToString().ToLowerInvariant()})", session.Greeting);
        Assert.Equal("echo", await session.EchoAsync("echo"));
        await lab.WaitForHealthAsync(backend, BackendHealth.Up);
    });

    /// <summary>A load balancer whose http listener (port 8080) sends to be1; returns its URL once it serves.</summary>
    private async Task<string> HttpAsync(LabDeployment lab, string name, bool forwardedHeaders)
    {
        var lb = await lab.CreateLoadBalancerAsync(name);
        var group = await lab.CreateGroupAsync(lb, "web");
        await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new
        {
            loadBalancerId = lb.Id,
            name = "http",
            protocol = ListenerProtocol.Http,
            port = 8080,
            defaultBackendGroupId = group.Id,
            forwardedHeaders,
        });
        var url = $"http://{lb.Vip}:8080/";
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);
        return url;
    }

    /// <summary>The request headers the sample backend echoed (after its name and the request line), by name.</summary>
    private static ILookup<string, string> Headers(string body) =>
        body.Split('\n').Skip(2).Where(line => line.Contains(':', StringComparison.Ordinal))
            .ToLookup(line => line[..line.IndexOf(':', StringComparison.Ordinal)].Trim(), line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Every X-Forwarded-For entry in order, over however many header lines carry them.</summary>
    private static List<string> ForwardedFor(ILookup<string, string> headers) =>
        [.. headers["X-Forwarded-For"].SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    public sealed class Fixture() : LabFixture(subnet: 213, backends: 1)
    {
        public LabHost ProxyProtocolBackend { get; private set; } = null!;

        protected override async Task StartedAsync(LabDeployment lab) => ProxyProtocolBackend = await lab.AddBackendAsync("pp1", proxyProtocol: true);
    }
}
