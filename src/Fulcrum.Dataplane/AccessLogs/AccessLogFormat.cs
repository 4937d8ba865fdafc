using System.Globalization;
using System.Net;
using Fulcrum.Core.Api;

namespace Fulcrum.Dataplane.AccessLogs;

/// <summary>
/// The line haproxy and nginx send the agent for every logged connection or request, and its reading. The format is
/// a constant of ours made only of the tools' own variables (and the listener's id, for nginx, which names no
/// frontend): no text a user typed reaches the configuration. Every line has the same fields in the same order,
/// separated by single spaces, <c>-</c> where a field does not apply; the URI, the only field that a client chooses,
/// comes last, so that the fields before it are read back whatever it holds.
/// </summary>
public static class AccessLogFormat
{
    /// <summary>The unix datagram socket in the node's runtime directory where the agent receives the lines.</summary>
    public const string SocketName = "access-log.sock";

    /// <summary>Longest line haproxy sends; longer ones are cut by haproxy, within the URI.</summary>
    public const int MaxLineLength = 8192;

    /// <summary>Starts every line: the format's version, so that a later format can be told apart.</summary>
    public const string Marker = "fulcrum1";

    private const int Fields = 19;

    private const int MaxIdLength = 64;

    /// <summary>haproxy's log-format of an http or https frontend.</summary>
    public static string Http(ListenerProtocol protocol) =>
        $"{Marker} {Protocol(protocol)} %f %ci %cp %Ts.%ms %b %s %ST %U %B %TR %Tw %Tc %Tr %Ta %tsc %HM %HU";

    /// <summary>haproxy's log-format of a tcp frontend.</summary>
    public const string Tcp = $"{Marker} tcp %f %ci %cp %Ts.%ms %b %s - %U %B - %Tw %Tc - %Tt %ts - -";

    /// <summary>nginx's stream log_format of a udp listener; <c>$session_time</c> is in seconds.</summary>
    public static string Udp(string listenerId) =>
        $"{Marker} udp {listenerId} $remote_addr $remote_port $msec - $upstream_addr $status $bytes_received $bytes_sent - - - - $session_time - - -";

    /// <summary>
    /// The entry of one received datagram: haproxy's is the line itself (<c>format raw</c>), nginx's comes after a
    /// syslog header. Null for anything that is not a whole line of this format.
    /// </summary>
    public static AccessLogEntry? Parse(string datagram)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        var start = datagram.StartsWith(Marker + " ", StringComparison.Ordinal) ? 0 : datagram.IndexOf(" " + Marker + " ", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var f = datagram[(start == 0 ? 0 : start + 1)..].TrimEnd('\n', '\r').Split(' ', Fields);
        if (f.Length != Fields || !Enum.TryParse<ListenerProtocol>(f[1], ignoreCase: true, out var protocol) || !Enum.IsDefined(protocol)
            || f[1] != Protocol(protocol)
            || !int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var clientPort)
            || !decimal.TryParse(f[5], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253_402_300_799m)
        {
            return null;
        }

        var listenerId = f[2];
        if (!IsId(listenerId) || !IPAddress.TryParse(f[3], out _))
        {
            return null;
        }

        var udp = protocol is ListenerProtocol.Udp;
        var http = protocol is ListenerProtocol.Http or ListenerProtocol.Https;
        var server = Value(f[7]) is { } s && s != "<NOSRV>" ? s : null;
        return new AccessLogEntry(
            DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)),
            listenerId,
            protocol,
            f[3],
            clientPort,
            BackendGroupId: udp ? null : BackendGroup(listenerId, f[6]),
            BackendId: udp ? null : server,
            BackendAddress: udp ? server : null,
            Status: Number(f[8]) is { } status and <= 999 ? (int)status : null,
            BytesIn: Number(f[9]),
            BytesOut: Number(f[10]),
            RequestMs: Number(f[11]),
            QueueMs: Number(f[12]),
            ConnectMs: Number(f[13]),
            ResponseMs: Number(f[14]),
            TotalMs: udp ? Milliseconds(f[15]) : Number(f[15]),
            TerminationState: Value(f[16]),
            Method: http ? Value(f[17]) : null,
            Uri: http ? Value(f[18]) : null);
    }

    /// <summary>The agent names a file after the listener: only an id's characters may reach a path.</summary>
    private static bool IsId(string value) =>
        value.Length is > 0 and <= MaxIdLength && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static string Protocol(ListenerProtocol protocol) => protocol.ToString().ToLowerInvariant();

    private static string? Value(string field) => field is "-" or "" ? null : field;

    /// <summary>A counter or a timer; haproxy writes -1 for a timer whose step never happened.</summary>
    private static long? Number(string field) =>
        long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static long? Milliseconds(string seconds) =>
        decimal.TryParse(seconds, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value < long.MaxValue / 1000m
            ? (long)Math.Round(value * 1000m)
            : null;

    /// <summary>haproxy names a listener's backends <c>{listenerId}_{groupId}</c>; a request kept at the frontend names the frontend.</summary>
    private static string? BackendGroup(string listenerId, string backend) =>
        backend.StartsWith(listenerId + "_", StringComparison.Ordinal) && backend.Length > listenerId.Length + 1 ? backend[(listenerId.Length + 1)..] : null;
}
