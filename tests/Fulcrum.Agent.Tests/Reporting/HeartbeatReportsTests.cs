using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;

namespace Fulcrum.Agent.Tests.Reporting;

public sealed class HeartbeatReportsTests
{
    private static readonly NodeReport Facts = new(7, null, null, VrrpState.Master, new NodeVersions(null, null, null, null), [], []);

    private static readonly List<BackendHealthReport> Backends = [new("be-one", BackendHealth.Up), new("be-two", BackendHealth.Down)];

    private static readonly List<ListenerCounters> Listeners = [new("lsn-a", 1, 10, 100, 200), new("lsn-b", 0, 0, 0, 0)];

    [Fact]
    public void For_First_TheWholePicture()
    {
        var report = Assert.Single(new HeartbeatReports().For(Facts, Backends, Listeners));

        Assert.False(report.Changes);
        Assert.Equal(Backends, report.Backends);
        Assert.Equal(Listeners, report.Listeners);
        Assert.Equal(7, report.AppliedRevision);
    }

    [Fact]
    public void For_NothingChangedSinceTaken_OneReportWithoutEntries()
    {
        var reports = new HeartbeatReports();
        reports.For(Facts, Backends, Listeners);
        reports.Taken();

        var report = Assert.Single(reports.For(Facts, Backends, Listeners));

        Assert.True(report.Changes);
        Assert.Empty(report.Backends);
        Assert.Empty(report.Listeners);
        Assert.Empty(report.StoppedListeners!);
    }

    [Fact]
    public void For_Changes_OnlyThoseWithBackendsGoneAsUnknownAndListenersGoneAsStopped()
    {
        var reports = new HeartbeatReports();
        reports.For(Facts, Backends, Listeners);
        reports.Taken();

        var report = Assert.Single(reports.For(Facts, [new("be-two", BackendHealth.Up), new("be-three", BackendHealth.Down)], [Listeners[0] with { TotalConnections = 11 }]));

        Assert.True(report.Changes);
        Assert.Equal([new("be-two", BackendHealth.Up), new("be-three", BackendHealth.Down), new("be-one", BackendHealth.Unknown)], report.Backends);
        Assert.Equal([Listeners[0] with { TotalConnections = 11 }], report.Listeners);
        Assert.Equal(["lsn-b"], report.StoppedListeners!);
    }

    [Fact]
    public void For_AfterAFailureOrWhenTheServerAsks_TheWholePictureAgain()
    {
        var reports = new HeartbeatReports();
        reports.For(Facts, Backends, Listeners);
        reports.Taken();
        reports.For(Facts, Backends, Listeners);
        reports.WholeNext();

        var report = Assert.Single(reports.For(Facts, Backends, Listeners));

        Assert.False(report.Changes);
        Assert.Equal(Backends, report.Backends);
    }

    [Fact]
    public void For_NotTaken_TheSameChangesAgain()
    {
        var reports = new HeartbeatReports();
        reports.For(Facts, Backends, Listeners);
        reports.Taken();
        reports.For(Facts, [Backends[0]], Listeners);

        var report = Assert.Single(reports.For(Facts, [Backends[0]], Listeners));

        Assert.Equal([new("be-two", BackendHealth.Unknown)], report.Backends);
    }

    [Fact]
    public void For_MoreThanOneReportHolds_AWholeReportThenChanges_EachWithinTheLimit()
    {
        var backends = Enumerable.Range(0, 7).Select(i => new BackendHealthReport($"be-{i}", BackendHealth.Up)).ToList();

        var split = new HeartbeatReports(maxEntries: 3).For(Facts, backends, Listeners);

        Assert.Equal([false, true, true], split.Select(r => r.Changes));
        Assert.All(split, r => Assert.InRange(r.Backends.Count, 1, 3));
        Assert.Equal(backends, split.SelectMany(r => r.Backends));
        Assert.Equal(Listeners, split.SelectMany(r => r.Listeners));
    }
}
