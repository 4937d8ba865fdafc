using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Fulcrum.Agent.Reporting;

/// <summary>
/// <see cref="AgentMetrics"/> and the .NET runtime's series in Prometheus text format at <c>/metrics</c>, from
/// OpenTelemetry's exporter, on a loopback address only: series name tenants' listeners and backends, so they are read
/// on the node (a local Prometheus agent, or a proxy the operator secures), never from the network.
/// </summary>
public static class AgentMetricsEndpoint
{
    public static bool TryParse(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (!IPEndPoint.TryParse(text, out var parsed) || parsed.Port == 0 || !IPAddress.IsLoopback(parsed.Address))
        {
            return false;
        }

        endpoint = parsed;
        return true;
    }

    public static void AddAgentMetrics(this IServiceCollection services, IPEndPoint endpoint, int objectSeriesLimit)
    {
        AgentMetrics.ObjectSeriesLimit = objectSeriesLimit;
        // Each listener or backend has one series per counter and per response class, plus the _other summary.
        var cardinality = ((objectSeriesLimit + 1) * StatCounters.ResponseClasses) + 100;
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(AgentMetrics.MeterName)
            .AddRuntimeInstrumentation()
            .AddView(instrument => instrument.Meter.Name == AgentMetrics.MeterName ? new MetricStreamConfiguration { CardinalityLimit = cardinality } : null)
            .AddPrometheusHttpListener(listener =>
            {
                listener.Host = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
                listener.Port = endpoint.Port;
                listener.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
    }
}
