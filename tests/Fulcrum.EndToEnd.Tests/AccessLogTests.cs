using System.Net;
using System.Text.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>A listener's access log: a request through the VIP shows up in the MASTER's file and in the API.</summary>
public sealed class AccessLogTests(AccessLogTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<AccessLogTests.Fixture>
{
    [Fact]
    public Task AccessLog_HttpRequestThroughTheVip_ShowsTheClientStatusAndTimings() => fixture.RunAsync(output, async lab =>
    {
        var (lb, listener) = await ListenerAsync(lab, "web", ListenerProtocol.Http, 80, LabDeployment.BackendHttpPort);
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, lb, http, $"http://{lb.Vip}/");

        await Traffic.GetAsync(http, $"http://{lb.Vip}/logged/page?q=1", HttpStatusCode.OK);
        var line = await LoggedAsync(lab, listener, l => l.Uri == "/logged/page?q=1");

        Assert.Equal((ListenerProtocol.Http, lab.Client.Address, (int?)200, "GET"), (line.Protocol, line.ClientAddress, line.Status, line.Method));
        Assert.Equal(listener.DefaultBackendGroupId, line.BackendGroupId);
        Assert.NotNull(line.BackendId);
        Assert.All(new[] { line.RequestMs, line.QueueMs, line.ConnectMs, line.ResponseMs, line.TotalMs }, timer => Assert.True(timer >= 0));
        Assert.True(line.BytesOut > 0);
        Assert.Equal("----", line.TerminationState);
        Assert.Contains(line, await MasterFileAsync(lab, listener));
    });

    [Fact]
    public Task AccessLog_TcpSessionThroughTheVip_ShowsTheClientBytesAndDuration() => fixture.RunAsync(output, async lab =>
    {
        const int port = 7100;
        var (lb, listener) = await ListenerAsync(lab, "tcp", ListenerProtocol.Tcp, port, LabDeployment.BackendTcpPort);
        await Eventually.TrueAsync(
            async () =>
            {
                using var probe = await TcpSession.TryOpenAsync(fixture.Client, lb.Vip, port);
                return probe is not null;
            },
            TimeSpan.FromSeconds(30),
            () => $"{lb.Vip}:{port} never greeted");

        using var session = await TcpSession.OpenAsync(fixture.Client, lb.Vip, port);
        var echoed = await session.EchoAsync("logged");
        var clientPort = session.LocalPort;
        await session.CloseAsync();

        var line = await LoggedAsync(lab, listener, l => l.ClientPort == clientPort);

        Assert.Equal("logged", echoed);
        Assert.Equal((ListenerProtocol.Tcp, lab.Client.Address), (line.Protocol, line.ClientAddress));
        Assert.True(line.BytesIn >= "logged\n".Length);
        Assert.True(line.TotalMs >= 0);
        Assert.Equal((null, null, (int?)null), (line.Method, line.Uri, line.Status));
    });

    private static async Task<(LoadBalancerResponse, ListenerResponse)> ListenerAsync(LabDeployment lab, string name, ListenerProtocol protocol, int port, int backendPort)
    {
        var lb = await lab.CreateLoadBalancerAsync(name);
        var group = await lab.CreateGroupAsync(lb, name);
        await lab.CreateBackendAsync(group, lab.Backends[0], backendPort);
        var listener = await lab.CreateAsync<ListenerResponse>("listeners", new
        {
            loadBalancerId = lb.Id,
            name,
            protocol,
            port,
            defaultBackendGroupId = group.Id,
            accessLog = true,
        });
        Assert.True(listener.AccessLog);
        await lab.WaitUntilActiveAsync(lb);
        return (lb, listener);
    }

    private static async Task<AccessLogEntry> LoggedAsync(LabDeployment lab, ListenerResponse listener, Func<AccessLogEntry, bool> match)
    {
        AccessLogEntry? found = null;
        await Eventually.TrueAsync(
            async () =>
            {
                found = (await lab.GetAsync<AccessLogResponse>($"listeners/{listener.Id}/access-log")).Lines.LastOrDefault(match);
                return found is not null;
            },
            LabApi.Deadline,
            () => $"the access log of {listener.Id} never showed the line");
        return found!;
    }

    /// <summary>The lines of the listener's file on the node that holds the VIPs, as documented.</summary>
    private static async Task<List<AccessLogEntry>> MasterFileAsync(LabDeployment lab, ListenerResponse listener)
    {
        var master = (await lab.NodesAsync()).Single(n => n.VrrpState == VrrpState.Master);
        var directory = lab.Nodes.Single(n => n.NodeId == master.Id).StateDirectory;
        var lines = await File.ReadAllLinesAsync(Path.Combine(directory, "logs", $"{listener.Id}.log"));
        return [.. lines.Select(line => JsonSerializer.Deserialize<AccessLogEntry>(line, FulcrumJson.Options)!)];
    }

    public sealed class Fixture() : LabFixture(subnet: 228);
}
