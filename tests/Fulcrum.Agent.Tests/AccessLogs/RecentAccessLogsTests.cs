using System.Text.Json;
using Fulcrum.Agent.AccessLogs;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;

namespace Fulcrum.Agent.Tests.AccessLogs;

public sealed class RecentAccessLogsTests
{
    [Fact]
    public void Add_BeyondTheBound_KeepsTheNewestLines()
    {
        var recent = new RecentAccessLogs();
        for (var port = 0; port < RecentAccessLogs.PerListener + 5; port++)
        {
            recent.Add(Line("lsn-a", port));
        }

        var lines = Assert.Single(recent.Pending()).Lines;
        Assert.Equal(RecentAccessLogs.PerListener, lines.Count);
        Assert.Equal((5, RecentAccessLogs.PerListener + 4), (lines[0].ClientPort, lines[^1].ClientPort));
    }

    [Fact]
    public void Taken_KeepsTheLinesThatCameAfterThePendingWereRead()
    {
        var recent = new RecentAccessLogs();
        recent.Add(Line("lsn-a", 1));
        var sent = recent.Pending();
        recent.Add(Line("lsn-a", 2));

        recent.Taken(sent);

        Assert.Equal([2], Assert.Single(recent.Pending()).Lines.Select(l => l.ClientPort));
    }

    [Fact]
    public void Pending_BeyondTheBudget_TakesFromEachListenerInTurn_AndKeepsTheRestForLater()
    {
        var recent = new RecentAccessLogs();
        for (var port = 0; port < 10; port++)
        {
            recent.Add(Line("lsn-a", port) with { Uri = new string('a', 1000) });
            recent.Add(Line("lsn-b", port) with { Uri = new string('b', 1000) });
        }

        var size = JsonSerializer.SerializeToUtf8Bytes(Line("lsn-a", 0) with { Uri = new string('a', 1000) }, FulcrumJson.Options).Length;

        var sent = recent.Pending(maxBytes: (5 * size) + (size / 2));
        recent.Taken(sent);

        Assert.Equal([("lsn-a", 3), ("lsn-b", 2)], sent.Select(l => (l.ListenerId, l.Lines.Count)));
        Assert.Equal([("lsn-a", 3), ("lsn-b", 2)], recent.Pending().Select(l => (l.ListenerId, l.Lines[0].ClientPort)));
    }

    private static AccessLogEntry Line(string listenerId, int port) =>
        new(DateTimeOffset.UnixEpoch, listenerId, ListenerProtocol.Tcp, "198.18.0.100", port);
}
