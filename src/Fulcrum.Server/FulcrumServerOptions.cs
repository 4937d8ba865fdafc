using Microsoft.Extensions.Options;

namespace Fulcrum.Server;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The server's settings, bound from the <c>Fulcrum</c> section (environment: <c>Fulcrum__DataDirectory</c>, ...).</summary>
public sealed class FulcrumServerOptions
{
    public const string Section = "Fulcrum";

    /// <summary>Where the SQLite database lives by default.</summary>
    public string DataDirectory { get; set; } = "data";

    public DatabaseProvider Database { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Optional for SQLite (defaults to a file in <see cref="DataDirectory"/>); required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Where the Data Protection key ring that encrypts certificate private keys is kept. By default it is in the
    /// database, which every server replica shares; a directory here keeps it apart from database backups.
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>
    /// A PEM file with an RSA certificate and its private key that encrypts the key ring. Required outside the
    /// Development environment; keep it apart from the database and its backups.
    /// </summary>
    public string? KeyRingCertificate { get; set; }

    /// <summary>A node whose agent has not been heard from for this long is shown offline.</summary>
    public TimeSpan NodeOfflineAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A manual failover whose target has not reported MASTER (nor FAULT) within this long is given up: the nodes that
    /// stood aside take part in VRRP again, so a target that cannot take over never leaves the cluster without a MASTER.
    /// </summary>
    public TimeSpan FailoverTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The bearer token Prometheus scrapes <c>/metrics</c> with (at least 32 characters); without it <c>/metrics</c>
    /// answers 404. Series name clusters, nodes and routes, never tenants' objects, but only operators read them.
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>Audit events older than this are deleted (checked every hour).</summary>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>At most this many audit events are kept: beyond it the oldest go first.</summary>
    public int AuditMaxEvents { get; set; } = 1_000_000;

    public string SqliteConnectionString() =>
        ConnectionString ?? $"Data Source={Path.Combine(DataDirectory, "fulcrum.db")}";
}

public sealed class ValidateFulcrumServerOptions : IValidateOptions<FulcrumServerOptions>
{
    public ValidateOptionsResult Validate(string? name, FulcrumServerOptions options)
    {
        var errors = new List<string>();
        if (options.Database == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("Fulcrum:ConnectionString is required when Fulcrum:Database is Postgres.");
        }

        if (options.Database == DatabaseProvider.Sqlite && options.ConnectionString is null && string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Fulcrum:DataDirectory must name a directory.");
        }

        if (options.MetricsToken is { } token && (token.Length < 32 || token.Any(char.IsWhiteSpace)))
        {
            errors.Add("Fulcrum:MetricsToken must be at least 32 characters without spaces.");
        }

        if (options.NodeOfflineAfter <= TimeSpan.Zero)
        {
            errors.Add("Fulcrum:NodeOfflineAfter must be a positive duration.");
        }

        if (options.FailoverTimeout <= TimeSpan.Zero)
        {
            errors.Add("Fulcrum:FailoverTimeout must be a positive duration.");
        }

        if (options.AuditRetention <= TimeSpan.Zero)
        {
            errors.Add("Fulcrum:AuditRetention must be a positive duration.");
        }

        if (options.AuditMaxEvents < 1)
        {
            errors.Add("Fulcrum:AuditMaxEvents must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
