using System.Security.Cryptography;
using System.Text;
using OpenTelemetry.Metrics;

namespace Fulcrum.Server.Metrics;

/// <summary>
/// <c>/metrics</c> in Prometheus text format, from OpenTelemetry's exporter: ASP.NET Core's request durations (by route
/// template and status), .NET runtime series and <see cref="ServerMetrics"/>. Series name clusters, nodes and API routes,
/// which is still more than anyone on the network should read: the endpoint answers only a bearer token equal to
/// <c>Fulcrum:MetricsToken</c> (compared in constant time), and 404 while none is configured.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void AddFulcrumMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ServerMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServerMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            // A scrape shows what is true now: no answer cached from an earlier one.
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
    }

    public static void MapFulcrumMetrics(this IEndpointRouteBuilder app, string? token) =>
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (token is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (!Matches(context.Request.Headers.Authorization.ToString(), token))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        }), optionsName: null);

    private static bool Matches(string header, string token) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
