using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fulcrum.Server.Persistence;

/// <summary>
/// Lets SQLite itself wait for a write lock another write holds (its busy handler retries within milliseconds) rather
/// than answer SQLITE_BUSY to Microsoft.Data.Sqlite, whose own retry waits far longer: with eight clients writing at
/// once, a write's p95 was 305 ms without this and 77 ms with it (bench/, control plane).
/// </summary>
public sealed class SqliteBusyWait : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
