using Fulcrum.Server.Http;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Persistence;

/// <summary>Creations that pick a free value themselves (a VIP from a pool) and may race for it.</summary>
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
    public static async Task<T> RetryWhileTakenAsync<T>(this FulcrumDbContext db, Func<Task<T>> attempt)
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
            catch (DbUpdateException e) when (attempts < MaxAttempts && ProblemDetailsExceptionHandler.IsConstraintViolation(e.InnerException))
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
