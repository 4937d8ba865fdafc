using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Audit;

/// <summary>
/// Keeps the audit log bounded: on start and every hour, events older than <see cref="FulcrumServerOptions.AuditRetention"/>
/// go, then the oldest beyond <see cref="FulcrumServerOptions.AuditMaxEvents"/>. Several replicas may prune at once;
/// a delete is idempotent.
/// </summary>
public sealed partial class AuditRetention(IServiceScopeFactory scopes, TimeProvider time, IOptions<FulcrumServerOptions> options, ILogger<AuditRetention> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Deletes what is past retention; answers how many events went.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FulcrumDbContext>();
        var cutoff = time.UtcDateTime() - options.Value.AuditRetention;
        var deleted = await db.AuditEvents.Where(e => e.CreatedAt < cutoff).ExecuteDeleteAsync(ct);

        var newestGone = await db.AuditEvents.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Skip(options.Value.AuditMaxEvents).Select(e => new { e.CreatedAt, e.Id }).FirstOrDefaultAsync(ct);
        if (newestGone is not null)
        {
            deleted += await db.AuditEvents
                .Where(e => e.CreatedAt < newestGone.CreatedAt || (e.CreatedAt == newestGone.CreatedAt && string.Compare(e.Id, newestGone.Id) <= 0))
                .ExecuteDeleteAsync(ct);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    var pruned = await PruneAsync(stoppingToken);
                    LogPruned(logger, pruned);
                }
                catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
                {
                    LogPruneFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit retention deleted {Count} events")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit retention could not delete old events; it tries again within the hour")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
