using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Persistence;

public static partial class Database
{
    /// <summary>SQLite by default, PostgreSQL by configuration; each provider has its own migrations.</summary>
    public static IServiceCollection AddFulcrumDatabase(this IServiceCollection services, FulcrumServerOptions options)
    {
        if (options.Database == DatabaseProvider.Postgres)
        {
            services.AddDbContext<FulcrumDbContext, PostgresFulcrumDbContext>(db => db.UseNpgsql(options.ConnectionString));
        }
        else
        {
            if (options.ConnectionString is null)
            {
                DataDirectory.Create(options.DataDirectory);
            }

            DataDirectory.SecureSqliteFile(options.SqliteConnectionString());
            services.AddDbContext<FulcrumDbContext, SqliteFulcrumDbContext>(db => db.UseSqlite(options.SqliteConnectionString()).AddInterceptors(new SqliteBusyWait()));
        }

        return services;
    }

    /// <summary>
    /// Applies pending migrations, then makes sure an admin can get in: with no <c>FULCRUM_ADMIN_TOKEN</c> configured
    /// and no admin token stored, one is generated and printed once on standard output (never to the log).
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FulcrumDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Fulcrum.Server.Database");
        var provider = scope.ServiceProvider.GetRequiredService<IOptions<FulcrumServerOptions>>().Value.Database;
        LogMigrating(logger, provider);
        await db.Database.MigrateAsync(ct);
        if (provider == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging, kept in the database file: a commit appends to the log and syncs it once, where the
            // default rollback journal synced journal and database several times per commit (15 ms of every write
            // here, 50 writes/s), and readers (heartbeats, long polls, the console) stop blocking the writer.
            // SQLite's default synchronous=FULL stays: every answered write survives a power loss.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL", ct);
        }

        if (scope.ServiceProvider.GetRequiredService<BootstrapAdminToken>().IsConfigured
            || await db.ApiTokens.AnyAsync(t => t.Role == Role.Admin, ct))
        {
            return;
        }

        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().UtcDateTime();
        var secret = Ids.NewSecret("fat");
        db.ApiTokens.Add(new ApiToken
        {
            Id = Ids.New("tok"),
            Name = "bootstrap admin",
            Role = Role.Admin,
            SecretHash = Ids.Hash(secret),
            CreatedAt = now,
            UpdatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        await System.Console.Out.WriteLineAsync($"""

            Fulcrum generated an admin token. It is shown this once; keep it safe:

                {secret}

            """);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying database migrations ({Provider})")]
    private static partial void LogMigrating(ILogger logger, DatabaseProvider provider);
}
