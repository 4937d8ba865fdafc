using Fulcrum.Server.Http;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Persistence;

/// <summary>Creations that pick a free value themselves (a VIP from a pool) or count a use (a join token), and may race for it.</summary>
public static class Allocations
{
    /// <summary>Enough for every one of dozens of racing requests: each round, one of them wins.</summary>
    public const int MaxAttempts = 32;

    /// <summary>
    /// Runs <paramref name="attempt"/> — pick a free value, save — again while its save hits a unique index because a
    /// racing request took the same value first; the next attempt sees that value as used. Inside a change made
    /// in one revision the attempt runs once: a failed statement ends that transaction, so it is the whole change
    /// that is tried again.
    /// </summary>
    public static Task<T> RetryWhileTakenAsync<T>(this FulcrumDbContext db, Func<Task<T>> attempt) =>
        db.RetryAsync(attempt, e => ProblemDetailsExceptionHandler.IsConstraintViolation(e.InnerException));

    /// <summary>
    /// As <see cref="RetryWhileTakenAsync"/>, and also while a racing request changed a row this one read and
    /// changes (a join token's use count) — only for a change no caller made conditional on a version (If-Match):
    /// the next attempt reads the row again and counts from there.
    /// </summary>
    public static Task<T> RetryWhileRacedAsync<T>(this FulcrumDbContext db, Func<Task<T>> attempt) =>
        db.RetryAsync(attempt, e => e is DbUpdateConcurrencyException || ProblemDetailsExceptionHandler.IsConstraintViolation(e.InnerException));

    private static async Task<T> RetryAsync<T>(this FulcrumDbContext db, Func<Task<T>> attempt, Func<DbUpdateException, bool> raced)
    {
        if (db.OneRevision is not null)
        {
            return await attempt();
        }

        for (var attempts = 1; ; attempts++)
        {
            try
            {
                return await attempt();
            }
            catch (DbUpdateException e) when (attempts < MaxAttempts && raced(e))
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
