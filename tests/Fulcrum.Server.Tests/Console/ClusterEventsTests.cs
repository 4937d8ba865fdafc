using Fulcrum.Server.Console.Shell;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fulcrum.Server.Tests.Console;

/// <summary>The console's live feed: subscribers hear changes and the clock's tick, and nothing once they leave.</summary>
public sealed class ClusterEventsTests
{
    [Fact]
    public async Task Publish_ReachesSubscribers_UntilTheyUnsubscribe()
    {
        using var events = new ClusterEvents(new FakeTimeProvider(), NullLogger<ClusterEvents>.Instance);
        var heard = new TaskCompletionSource<ClusterChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        var subscription = events.Subscribe(change =>
        {
            Interlocked.Increment(ref count);
            heard.TrySetResult(change);
            return Task.CompletedTask;
        });

        events.Publish(new ClusterChange("cl-1"));

        Assert.Equal("cl-1", (await heard.Task.WaitAsync(TimeSpan.FromSeconds(10))).ClusterId);
        subscription.Dispose();
        events.Publish(new ClusterChange("cl-2"));
        await Task.Delay(100);
        Assert.Equal(1, Volatile.Read(ref count));
    }

    [Fact]
    public async Task Tick_EverySecond_WhileSomebodyListens()
    {
        var clock = new FakeTimeProvider();
        using var events = new ClusterEvents(clock, NullLogger<ClusterEvents>.Instance);
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = events.Subscribe(change =>
        {
            if (change.IsTick)
            {
                ticked.TrySetResult();
            }

            return Task.CompletedTask;
        });

        clock.Advance(ClusterEvents.TickInterval);

        await ticked.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task FailingSubscriber_DoesNotStopTheOthers()
    {
        using var events = new ClusterEvents(new FakeTimeProvider(), NullLogger<ClusterEvents>.Instance);
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var failing = events.Subscribe(_ => throw new InvalidOperationException("a page that broke"));
        using var working = events.Subscribe(_ =>
        {
            heard.TrySetResult();
            return Task.CompletedTask;
        });

        events.Publish(new ClusterChange("cl-1"));

        await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
