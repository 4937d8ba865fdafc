using Fulcrum.Agent.Reporting;

namespace Fulcrum.Agent.Tests.Reporting;

public sealed class AgentMetricsTests
{
    private const string Header = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,status,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other";

    [Fact]
    public void StatCounters_ListenersByFrontend_BackendsSummedOverTheListenersUsingThem()
    {
        var csv = string.Join('\n',
            Header,
            "lsn-a,FRONTEND,,,4,9,100,120,5000,70000,OPEN,1,100,2,3,7,0",
            "lsn-a_bg-1,be-1,0,0,1,1,,60,400,6000,UP,0,50,0,1,2,0",
            "lsn-b_bg-1,be-1,0,0,2,2,,10,100,1000,UP,0,5,0,0,1,0",
            "lsn-a_bg-1,BACKEND,0,0,0,0,998,0,0,0,UP,0,0,0,0,0,0");

        var (listeners, backends) = StatCounters.Parse(csv);

        var listener = Assert.Single(listeners);
        Assert.Equal(("lsn-a", 4L, 120L, 5000L, 70000L), (listener.Id, listener.Current, listener.Total, listener.BytesIn, listener.BytesOut));
        Assert.Equal([1L, 100, 2, 3, 7, 0], listener.Responses);
        var backend = Assert.Single(backends);
        Assert.Equal(("be-1", 3L, 70L, 500L, 7000L), (backend.Id, backend.Current, backend.Total, backend.BytesIn, backend.BytesOut));
        Assert.Equal([0L, 55, 0, 1, 3, 0], backend.Responses);
    }

    [Fact]
    public void Bound_BeyondTheLimit_TheFirstByIdKeepTheirSeries_TheRestAreSummedAsOther()
    {
        var all = Enumerable.Range(0, 10_000).Select(i => new StatCounters($"lsn-{i:D5}", 1, 2, 3, 4, [0, 1, 0, 0, 0, 0])).Reverse().ToList();

        var bounded = AgentMetrics.Bound(all, 1000);
        var unbounded = AgentMetrics.Bound(all.Take(5).ToList(), 1000);

        Assert.Equal(1001, bounded.Count);
        Assert.Equal("lsn-00000", bounded[0].Id);
        Assert.Equal("lsn-00999", bounded[999].Id);
        var other = bounded[1000];
        Assert.Equal((AgentMetrics.Other, 9000L, 18_000L, 36_000L), (other.Id, other.Current, other.Total, other.BytesOut));
        Assert.Equal(9000, other.Responses[1]);
        Assert.Equal(5, unbounded.Count);
        Assert.DoesNotContain(unbounded, c => c.Id == AgentMetrics.Other);
    }

    [Theory]
    [InlineData("127.0.0.1:9464", true)]
    [InlineData("[::1]:9464", true)]
    [InlineData("0.0.0.0:9464", false)]
    [InlineData("192.0.2.1:9464", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.1:0", false)]
    [InlineData("localhost:9464", false)]
    public void MetricsListen_OnlyALoopbackAddressAndPort(string text, bool accepted) =>
        Assert.Equal(accepted, AgentMetricsEndpoint.TryParse(text, out _));
}
