using Fulcrum.Core.Api;
using Fulcrum.Server.Listeners;
using Microsoft.Extensions.Time.Testing;

namespace Fulcrum.Server.Tests.Listeners;

public sealed class ListenerRateHistoryTests
{
    private const string Listener = "lsn-a";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private ListenerRateHistory History() => new(_time);

    private static ListenerCounters Counters(long connections, long bytesIn = 0, long bytesOut = 0, HttpResponseCounts? responses = null) =>
        new(Listener, 0, connections, bytesIn, bytesOut, responses);

    private void Report(ListenerRateHistory history, string node, ListenerCounters counters) =>
        history.Record(node, [counters], _time.GetUtcNow().UtcDateTime);

    [Fact]
    public void Rates_OfTwoNodes_AreTheirIncreasesPerSecond_Summed()
    {
        var history = History();
        Report(history, "node-a", Counters(100, 1_000, 10_000, new(1, 2, 3, 4, 1, 0)));
        Report(history, "node-b", Counters(50, 500, 5_000, HttpResponseCounts.Zero));
        _time.Advance(TimeSpan.FromSeconds(10));
        Report(history, "node-a", Counters(200, 2_000, 20_000, new(1, 102, 13, 14, 11, 0)));
        Report(history, "node-b", Counters(150, 1_500, 15_000, new(0, 50, 0, 10, 10, 5)));
        _time.Advance(TimeSpan.FromSeconds(10));

        var rates = history.Rates(Listener, TimeSpan.FromMinutes(15));

        Assert.Equal(new ListenerRatePoint(_time.GetUtcNow().AddSeconds(-10), 20, 200, 2_000, new HttpResponseRates(0, 15, 1, 2, 2, 0.5)), rates[^1]);
    }

    [Fact]
    public void Rates_AfterHaproxyRestarted_CountFromZeroInsteadOfGoingNegative()
    {
        var history = History();
        Report(history, "node-a", Counters(1_000_000, 5_000_000));
        _time.Advance(TimeSpan.FromSeconds(10));
        Report(history, "node-a", Counters(30, 300));
        _time.Advance(TimeSpan.FromSeconds(10));

        var last = history.Rates(Listener, TimeSpan.FromMinutes(15))[^1];

        Assert.Equal((3.0, 30.0), (last.ConnectionsPerSecond, last.BytesInPerSecond));
    }

    [Fact]
    public void Rates_StartAtTheFirstSample_AndShowQuietStepsAsZero()
    {
        var history = History();
        Report(history, "node-a", Counters(10));
        _time.Advance(TimeSpan.FromSeconds(10));
        Report(history, "node-a", Counters(110));
        _time.Advance(TimeSpan.FromSeconds(30));

        var rates = history.Rates(Listener, TimeSpan.FromMinutes(15));

        Assert.Equal([0.0, 10.0, 0.0, 0.0], rates.Select(r => r.ConnectionsPerSecond));
        Assert.Empty(history.Rates("lsn-unknown", TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void Rates_OverAWindow_KeepOnlyItsSteps_AndAtMostAnHour()
    {
        var history = History();
        for (var i = 0; i <= 500; i++)
        {
            Report(history, "node-a", Counters(i * 10L));
            _time.Advance(ListenerRateHistory.Step);
        }

        Assert.Equal(90, history.Rates(Listener, TimeSpan.FromMinutes(15)).Count);
        Assert.Equal(360, history.Rates(Listener, TimeSpan.FromHours(3)).Count);
        Assert.All(history.Rates(Listener, TimeSpan.FromHours(1)), r => Assert.Equal(1.0, r.ConnectionsPerSecond));
    }

    [Fact]
    public void Rates_AfterTheNodeStoppedTheListener_TakeItsNextCountersAsANewStart()
    {
        var history = History();
        Report(history, "node-a", Counters(10));
        history.Forget("node-a", [Listener]);
        _time.Advance(TimeSpan.FromSeconds(10));
        Report(history, "node-a", Counters(5_000));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.All(history.Rates(Listener, TimeSpan.FromMinutes(15)), r => Assert.Equal(0.0, r.ConnectionsPerSecond));
    }

    [Fact]
    public void Rates_OfAListenerSilentForAnHour_AreGone()
    {
        var history = History();
        Report(history, "node-a", Counters(10));
        _time.Advance(ListenerRateHistory.Span + ListenerRateHistory.Step);
        history.Record("node-b", [Counters(1) with { ListenerId = "lsn-other" }], _time.GetUtcNow().UtcDateTime);

        Assert.Empty(history.Rates(Listener, TimeSpan.FromHours(1)));
    }
}
