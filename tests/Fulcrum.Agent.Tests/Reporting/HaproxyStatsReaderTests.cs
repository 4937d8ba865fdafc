using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace Fulcrum.Agent.Tests.Reporting;

public sealed class HaproxyStatsReaderTests
{
    private const string Header = "# pxname,svname,scur,stot,bin,bout,status,hrsp_5xx,mode";

    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _sent = [];
    private string? _status = "UP";

    [Fact]
    public async Task Read_NoCheckedListener_ServersOncePerGeneration_CountersEveryTenSeconds()
    {
        var reader = Reader();
        var served = Snapshot(checkedListener: false);

        for (var i = 0; i < 5; i++)
        {
            await reader.ReadAsync(served, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        var (backends, listeners) = await reader.ReadAsync(served, CancellationToken.None);
        await reader.ReadAsync(served with { Revision = 8 }, CancellationToken.None);

        Assert.Equal(
            [HaproxyStatsReader.ServersCommand, HaproxyStatsReader.FrontendsCommand, HaproxyStatsReader.FrontendsCommand, HaproxyStatsReader.ServersCommand, HaproxyStatsReader.FrontendsCommand],
            _sent);
        Assert.Equal([new BackendHealthReport("be-one", BackendHealth.Up)], backends);
        Assert.Equal([new ListenerCounters("lsn-a", 1, 2, 3, 4, new HttpResponseCounts(0, 0, 0, 0, 5, 0))], listeners);
    }

    [Fact]
    public async Task Read_CheckedListener_ServersOnEveryHeartbeat()
    {
        var reader = Reader();
        var served = Snapshot(checkedListener: true);

        await reader.ReadAsync(served, CancellationToken.None);
        _status = "DOWN";
        var (backends, _) = await reader.ReadAsync(served, CancellationToken.None);

        Assert.Equal([new BackendHealthReport("be-one", BackendHealth.Down)], backends);
        Assert.Equal(3, _sent.Count);
    }

    [Fact]
    public async Task Read_HaproxyNotAnswering_NothingReported_AndAllReadOnceItAnswers()
    {
        var answering = false;
        var reader = new HaproxyStatsReader((command, _) => Task.FromResult(answering ? Answer(command) : null), _time);
        var served = Snapshot(checkedListener: false);

        Assert.Empty((await reader.ReadAsync(served, CancellationToken.None)).Backends);
        answering = true;
        var (backends, listeners) = await reader.ReadAsync(served, CancellationToken.None);

        Assert.Single(backends);
        Assert.Single(listeners);
    }

    private HaproxyStatsReader Reader() => new((command, _) =>
    {
        _sent.Add(command);
        return Task.FromResult(Answer(command));
    }, _time);

    private string? Answer(string command) => command == HaproxyStatsReader.ServersCommand
        ? $"{Header}\nlsn-a_bg-1,be-one,0,0,0,0,{_status},0\n"
        : $"{Header}\nlsn-a,FRONTEND,1,2,3,4,OPEN,5,http\n";

    private static ClusterSnapshot Snapshot(bool checkedListener) => new(
        "cl-lab",
        7,
        new VrrpSpec(51, 200, false, true),
        [new SnapshotNode("node-a", "198.18.0.11", "eth0", 100)],
        [
            new SnapshotLoadBalancer("lb-web", "198.18.10.1", 24, true,
                [
                    new SnapshotListener(
                        "lsn-a", ListenerProtocol.Tcp, 80, "bg-1", Scheduler.RoundRobin, null, new TimeoutSpec(5000, 50000, 50000),
                        checkedListener ? new HealthCheckSpec(HealthCheckType.Tcp, 1000, 500, 2, 2, null, null) : null, null,
                        ForwardedHeaders: false, Gzip: false, Http2: false, RedirectToHttps: false, null, null, ProxyProtocol.None, Enabled: true, []),
                ],
                [new SnapshotBackendGroup("bg-1", [new SnapshotBackend("be-one", "198.18.1.10", 8080, 1, false, BackendAdminState.Enabled)])]),
        ],
        [],
        []);
}
