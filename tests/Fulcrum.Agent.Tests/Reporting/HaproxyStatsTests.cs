using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;

namespace Fulcrum.Agent.Tests.Reporting;

public sealed class HaproxyStatsTests
{
    private const string Header = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,mode";

    [Fact]
    public void Parse_ShowStat_ReportsListenerCountersAndBackendHealth()
    {
        var csv = string.Join('\n',
            Header,
            "lsn-a,FRONTEND,,,4,9,9979,120,5000,70000,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,2,100,30,12,7,1,http",
            "lsn-t,FRONTEND,,,1,3,9979,8,800,900,0,0,0,,,,,OPEN,,,,,,,,,1,4,0,,,,0,0,0,0,,,,,,,,,,tcp",
            "lsn-a_bg-1,be-up,0,0,0,0,,60,0,0,,0,,0,0,0,0,UP,1,1,0,1,1,620,620,,1,3,1,,0,,2,0,,0,L7OK,200,1,0,0,0,0,0",
            "lsn-a_bg-1,be-down,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN 1/2,1,1,0,1,1,620,620,,1,3,1,,0,,2,0,,0,L4CON,,0,0,0,0,0,0",
            "lsn-a_bg-1,be-unchecked,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1,1,0,,,620,,,1,3,2,,0,,2,0,,0,,,,0,0,0,0,0",
            "lsn-b_bg-1,be-up,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,620,620,,1,3,1,,0,,2,0,,0,L4CON,,0,0,0,0,0,0",
            "lsn-a_bg-1,BACKEND,0,0,0,0,998,0,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,620,0,,1,3,0,,0,,2");

        var (backends, listeners) = HaproxyStats.Parse(csv);

        Assert.Equal(
            [new ListenerCounters("lsn-a", 4, 120, 5000, 70000, new HttpResponseCounts(2, 100, 30, 12, 7, 1)), new ListenerCounters("lsn-t", 1, 8, 800, 900)],
            listeners);
        Assert.Equal(
            [new BackendHealthReport("be-down", BackendHealth.Down), new BackendHealthReport("be-unchecked", BackendHealth.Unknown), new BackendHealthReport("be-up", BackendHealth.Down)],
            backends.OrderBy(b => b.BackendId, StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_NoHeader_ReportsNothing()
    {
        var (backends, listeners) = HaproxyStats.Parse("Unknown command.\n");

        Assert.Empty(backends);
        Assert.Empty(listeners);
    }
}
