namespace Fulcrum.Lab;

/// <summary>Awaits a condition with a deadline — the lab's processes give no other signal than their effects.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> with <paramref name="failure"/> once <paramref name="timeout"/> has passed.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure, TimeSpan? every = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(every ?? TimeSpan.FromMilliseconds(25));
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException(failure());
            }

            await tick.WaitForNextTickAsync(CancellationToken.None);
        }
    }
}
