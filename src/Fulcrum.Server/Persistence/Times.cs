namespace Fulcrum.Server.Persistence;

public static class Times
{
    /// <summary>Instants are stored as UTC <see cref="DateTime"/>s: SQLite can order those, not DateTimeOffsets.</summary>
    public static DateTimeOffset AsUtc(this DateTime instant) => new(DateTime.SpecifyKind(instant, DateTimeKind.Utc));

    public static DateTime UtcDateTime(this TimeProvider time) => time.GetUtcNow().UtcDateTime;
}
