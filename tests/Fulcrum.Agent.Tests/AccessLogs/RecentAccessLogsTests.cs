using Fulcrum.Agent.AccessLogs;
using Fulcrum.Core.Api;

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

    private static AccessLogEntry Line(string listenerId, int port) =>
        new(DateTimeOffset.UnixEpoch, listenerId, ListenerProtocol.Tcp, "198.18.0.100", port);
}
