using System.Net;
using Fulcrum.Agent.Apply;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fulcrum.Agent.Tests.Apply;

public sealed class VipDrainTests : IDisposable
{
    private const string Header = "# pxname,svname,scur,stot,bin,bout,status,hrsp_5xx,mode";

    private readonly TestNode _node = new();
    private readonly Queue<long> _open = new();
    private int _asked;

    [Fact]
    public async Task Drain_HoldsTheVipsFirst_ThenWaitsUntilHaproxyServesNoConnection()
    {
        foreach (var open in new long[] { 3, 1, 0 })
        {
            _open.Enqueue(open);
        }

        var left = await Drain(TimeSpan.FromMinutes(1)).DrainAsync(TestNode.Snapshot(1, ("web", [80]), ("shop", [443])), CancellationToken.None);

        Assert.Equal(0, left);
        Assert.Equal(3, _asked);
        Assert.Equal(["198.18.10.10", "198.18.10.11"], _node.Dataplane.Holds.Single().Vips.Select(v => v.ToString()));
    }

    [Fact]
    public async Task Drain_AConnectionThatStaysOpen_WaitsNoLongerThanTheTimeout_AndSaysItIsStillOpen()
    {
        _open.Enqueue(2);

        var left = await Drain(TimeSpan.FromMilliseconds(100)).DrainAsync(TestNode.Snapshot(1, 80), CancellationToken.None);

        Assert.Equal(2, left);
        Assert.True(_asked > 1, "the drain never asked haproxy again");
    }

    [Fact]
    public async Task Drain_HaproxyNotAnswering_HasNothingToWaitFor()
    {
        var drain = new VipDrain(_node.Dataplane, (_, _) => Task.FromResult<string?>(null), TimeProvider.System, TimeSpan.FromMinutes(1), NullLogger.Instance);

        Assert.Equal(0, await drain.DrainAsync(TestNode.Snapshot(1, 80), CancellationToken.None));
    }

    [Fact]
    public void DrainRules_DropOnlyNewTcpConnectionsToTheVips_PerFamily_InATableOfTheirOwn()
    {
        var rules = Fulcrum.Agent.Processes.Dataplane.DrainRules([IPAddress.Parse("198.18.10.10"), IPAddress.Parse("2001:db8::0:1"), IPAddress.Parse("198.18.10.11")]);

        Assert.Equal(
            """
            table inet fulcrum_drain
            delete table inet fulcrum_drain
            table inet fulcrum_drain {
            	chain prerouting {
            		type filter hook prerouting priority raw; policy accept;
            		ip daddr { 198.18.10.10, 198.18.10.11 } tcp flags & (syn | ack) == syn drop
            		ip6 daddr { 2001:db8::1 } tcp flags & (syn | ack) == syn drop
            	}
            }

            """,
            rules);
        Assert.Equal("table inet fulcrum_drain\ndelete table inet fulcrum_drain\n", Fulcrum.Agent.Processes.Dataplane.DrainRules([]));
    }

    /// <summary>A drain whose haproxy reports the queued numbers of open connections, the last one from then on.</summary>
    private VipDrain Drain(TimeSpan timeout) => new(
        _node.Dataplane,
        (command, _) =>
        {
            Assert.Equal("show stat -1 1 -1", command);
            _asked++;
            var open = _open.Count > 1 ? _open.Dequeue() : _open.Peek();
            return Task.FromResult<string?>($"{Header}\nlsn-a,FRONTEND,{open},9,0,0,OPEN,0,http\n");
        },
        TimeProvider.System,
        timeout,
        NullLogger.Instance);

    public void Dispose() => _node.Dispose();
}
