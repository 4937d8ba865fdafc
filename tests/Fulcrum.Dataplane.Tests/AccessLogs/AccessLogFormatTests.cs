using Fulcrum.Core.Api;
using Fulcrum.Dataplane.AccessLogs;

namespace Fulcrum.Dataplane.Tests.AccessLogs;

/// <summary>The lines are as haproxy 2.6 sent them for the formats rendered.</summary>
public sealed class AccessLogFormatTests
{
    [Fact]
    public void Parse_HaproxyHttpLine_NamesEveryField()
    {
        var entry = AccessLogFormat.Parse("fulcrum1 http lsn-a 198.18.0.100 38552 1796305308.435 lsn-a_bg-1 be-1 404 91 500 0 0 0 8 8 ---- GET /x?a=b%20c\n");

        Assert.Equal(
            new AccessLogEntry(
                DateTimeOffset.FromUnixTimeMilliseconds(1_796_305_308_435), "lsn-a", ListenerProtocol.Http, "198.18.0.100", 38552,
                BackendGroupId: "bg-1", BackendId: "be-1", Status: 404, BytesIn: 91, BytesOut: 500, RequestMs: 0, QueueMs: 0, ConnectMs: 0,
                ResponseMs: 8, TotalMs: 8, TerminationState: "----", Method: "GET", Uri: "/x?a=b%20c"),
            entry);
    }

    [Fact]
    public void Parse_HaproxyTcpLine_LeavesHttpFieldsOut()
    {
        var entry = AccessLogFormat.Parse("fulcrum1 tcp lsn-t 2001:db8::7 33762 1796305308.455 lsn-t_bg-1 be-1 - 79 525 - 1 0 - 3 -- - -\n");

        Assert.Equal(
            new AccessLogEntry(
                DateTimeOffset.FromUnixTimeMilliseconds(1_796_305_308_455), "lsn-t", ListenerProtocol.Tcp, "2001:db8::7", 33762,
                BackendGroupId: "bg-1", BackendId: "be-1", BytesIn: 79, BytesOut: 525, QueueMs: 1, ConnectMs: 0, TotalMs: 3, TerminationState: "--"),
            entry);
    }

    [Fact]
    public void Parse_RequestRefusedAtTheFrontend_HasNoBackendAndNoTimersItNeverReached()
    {
        var entry = AccessLogFormat.Parse("fulcrum1 https lsn-a 198.18.0.100 40000 1796305308.001 lsn-a <NOSRV> 403 120 212 1 -1 -1 -1 1 PR-- GET /admin");

        Assert.NotNull(entry);
        Assert.Equal((ListenerProtocol.Https, (string?)null, (string?)null, (int?)403), (entry.Protocol, entry.BackendGroupId, entry.BackendId, entry.Status));
        Assert.Equal(((long?)null, (long?)null, (long?)null), (entry.QueueMs, entry.ConnectMs, entry.ResponseMs));
    }

    [Fact]
    public void Parse_UriWithSpaces_KeepsTheFieldsBeforeIt()
    {
        var entry = AccessLogFormat.Parse("fulcrum1 http lsn-a 198.18.0.100 1 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /a b 200 c");

        Assert.Equal(("/a b 200 c", (int?)200, (long?)2), (entry?.Uri, entry?.Status, entry?.BytesOut));
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("fulcrum2 http lsn-a 198.18.0.100 1 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /")]
    [InlineData("fulcrum1 udp lsn-a 198.18.0.100 1 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /")]
    [InlineData("x fulcrum1 http lsn-a 198.18.0.100 1 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /")]
    [InlineData("fulcrum1 smtp lsn-a 198.18.0.100 1 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /")]
    [InlineData("fulcrum1 http lsn-a 198.18.0.100 port 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /")]
    [InlineData("fulcrum1 http lsn-a 198.18.0.100 1 1796305308.000 lsn-a_bg-1 be-1 200")]
    [InlineData("fulcrum1 http ../../etc 198.18.0.100 1 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /")]
    [InlineData("fulcrum1 http lsn-a not-an-ip 1 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /")]
    [InlineData("fulcrum1 http lsn-a 0x7f.1 1 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /")]
    [InlineData("fulcrum1 http lsn-a 198.18.0.100 70000 1796305308.000 lsn-a_bg-1 be-1 200 1 2 0 0 0 0 0 ---- GET /")]
    [InlineData("fulcrum1 http lsn-a 198.18.0.100 1 1796305308.000 lsn-a_bg-1 BE_1 200 1 2 0 0 0 0 0 ---- GET /")]
    public void Parse_NotALineOfTheFormat_IsNull(string datagram) => Assert.Null(AccessLogFormat.Parse(datagram));

    [Fact]
    public void Formats_HaveOneFieldPerPosition()
    {
        var formats = new[] { AccessLogFormat.Http(ListenerProtocol.Http), AccessLogFormat.Http(ListenerProtocol.Https), AccessLogFormat.Tcp };

        Assert.All(formats, format => Assert.Equal(19, format.Split(' ').Length));
    }
}
