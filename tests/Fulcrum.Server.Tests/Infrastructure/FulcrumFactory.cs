using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Fulcrum.Server.Tests.Infrastructure;

/// <summary>
/// The server on a database of its own: a SQLite file in a temporary directory, or — when
/// <c>FULCRUM_TEST_POSTGRES</c> holds a connection string — a fresh PostgreSQL database that is dropped afterwards.
/// The README's test command runs the suite once each way.
/// </summary>
public sealed class FulcrumFactory : WebApplicationFactory<Program>
{
    public const string PostgresVariable = "FULCRUM_TEST_POSTGRES";

    private readonly string _directory = Directory.CreateTempSubdirectory("fulcrum-test-").FullName;
    private readonly string? _postgresServer = Environment.GetEnvironmentVariable(PostgresVariable);
    private readonly string _postgresDatabase = "fulcrum_test_" + Guid.NewGuid().ToString("N");

    public string AdminToken { get; } = "fulcrum-test-admin-" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// The server's clock: starts at the real time on a whole second and ticks a millisecond per reading, so that
    /// timestamps are distinct and survive PostgreSQL's microsecond precision; tests advance it to expire things.
    /// </summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()))
    {
        AutoAdvanceAmount = TimeSpan.FromMilliseconds(1),
    };

    /// <summary>What Prometheus would scrape <c>/metrics</c> with.</summary>
    public string MetricsToken { get; } = "fulcrum-test-metrics-" + Guid.NewGuid().ToString("N");

    public bool IsPostgres => _postgresServer is not null;

    public HttpClient CreateClient(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public ApiClient Admin() => new(CreateClient(AdminToken));

    public ApiClient As(string token) => new(CreateClient(token));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("FULCRUM_ADMIN_TOKEN", AdminToken);
        builder.UseSetting("Fulcrum:DataDirectory", _directory);
        builder.UseSetting("Fulcrum:MetricsToken", MetricsToken);
        if (_postgresServer is not null)
        {
            builder.UseSetting("Fulcrum:Database", "Postgres");
            builder.UseSetting("Fulcrum:ConnectionString", new NpgsqlConnectionStringBuilder(_postgresServer) { Database = _postgresDatabase }.ConnectionString);
        }

        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgresServer is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresServer);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
