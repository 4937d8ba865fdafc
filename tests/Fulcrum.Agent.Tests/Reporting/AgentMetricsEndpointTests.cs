using System.Net;
using System.Net.Sockets;
using Fulcrum.Agent.Reporting;
using Microsoft.Extensions.Hosting;

namespace Fulcrum.Agent.Tests.Reporting;

[CollectionDefinition(nameof(AgentMetricsEndpointTests), DisableParallelization = true)]
public sealed class AgentMetricsCollection;

/// <summary>The agent's exporter on loopback: what a scrape shows of the listeners haproxy serves, and when it cannot bind.</summary>
[Collection(nameof(AgentMetricsEndpointTests))]
public sealed class AgentMetricsEndpointTests
{
    private const string Header = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,status,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other";

    [Fact]
    public async Task Scrape_ShowsEachListenerUpToTheLimit_TheRestAsOther_AndForgetsARemovedListener()
    {
        var port = FreePort();
        using var host = Host(port, objectSeriesLimit: 2);
        await host.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            AgentMetrics.ObserveStats(HaproxyStatsReader.FrontendsCommand, Csv("lsn-m1", "lsn-m2", "lsn-m3", "lsn-m4"));
            var four = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            AgentMetrics.ObserveStats(HaproxyStatsReader.FrontendsCommand, Csv("lsn-m2", "lsn-m3"));
            var two = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

            Assert.Equal(7, Value(four, "fulcrum_agent_listener_connections_total", "listener_id=\"lsn-m1\""));
            Assert.Equal(7, Value(four, "fulcrum_agent_listener_connections_total", "listener_id=\"lsn-m2\""));
            Assert.Equal(14, Value(four, "fulcrum_agent_listener_connections_total", "listener_id=\"_other\""));
            Assert.Equal(5, Value(four, "fulcrum_agent_listener_http_responses_total", "listener_id=\"lsn-m2\"", "class=\"2xx\""));
            Assert.Equal(4, Value(four, "fulcrum_agent_listeners"));
            Assert.DoesNotContain("listener_id=\"lsn-m3\"", four, StringComparison.Ordinal);
            Assert.DoesNotContain("listener_id=\"lsn-m1\"", two, StringComparison.Ordinal);
            Assert.DoesNotContain("listener_id=\"_other\"", two, StringComparison.Ordinal);
            Assert.Equal(7, Value(two, "fulcrum_agent_listener_connections_total", "listener_id=\"lsn-m3\""));
        }
        finally
        {
            AgentMetrics.ObserveStats(HaproxyStatsReader.FrontendsCommand, "");
            AgentMetrics.ObserveStats(HaproxyStatsReader.ServersCommand, "");
            AgentMetrics.ObjectSeriesLimit = AgentMetrics.DefaultObjectSeriesLimit;
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task PortTaken_TheAgentDoesNotStart()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        using var host = Host(((IPEndPoint)taken.LocalEndpoint).Port, AgentMetrics.DefaultObjectSeriesLimit);

        await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
    }

    /// <summary>The value of the one sample of <paramref name="name"/> carrying every one of <paramref name="labels"/>.</summary>
    private static double Value(string scrape, string name, params string[] labels) =>
        double.Parse(
            scrape.Split('\n').Single(line => (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
                && labels.All(l => line.Contains(l, StringComparison.Ordinal))).Split(' ')[^1],
            System.Globalization.CultureInfo.InvariantCulture);

    private static IHost Host(int port, int objectSeriesLimit)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddAgentMetrics(new IPEndPoint(IPAddress.Loopback, port), objectSeriesLimit);
        return builder.Build();
    }

    private static string Csv(params string[] listeners) =>
        string.Join('\n', [Header, .. listeners.Select(id => $"{id},FRONTEND,,,1,1,100,7,10,20,OPEN,0,5,0,0,0,0")]);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
