using System.Globalization;
using Fulcrum.Core.Api;

namespace Fulcrum.Dataplane.AccessLogs;

/// <summary>
/// The line haproxy sends the agent for every logged connection or request, and its reading. The format is a
/// constant of ours made only of haproxy's own variables: no text a user typed reaches the configuration. Every line
/// has the same fields in the same order, separated by single spaces, <c>-</c> where a field does not apply; the URI,
/// the only field that a client chooses, comes last, so that the fields before it are read back whatever it holds.
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

    /// <summary>haproxy's log-format of an http or https frontend.</summary>
    public static string Http(ListenerProtocol protocol) =>
        $"{Marker} {Protocol(protocol)} %f %ci %cp %Ts.%ms %b %s %ST %U %B %TR %Tw %Tc %Tr %Ta %tsc %HM %HU";

    /// <summary>haproxy's log-format of a tcp frontend.</summary>
    public const string Tcp = $"{Marker} tcp %f %ci %cp %Ts.%ms %b %s - %U %B - %Tw %Tc - %Tt %ts - -";

    /// <summary>The entry of one received datagram (haproxy's <c>format raw</c>: the line itself); null for anything that is not a whole line of this format.</summary>
    public static AccessLogEntry? Parse(string datagram)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        var f = datagram.TrimEnd('\n', '\r').Split(' ', Fields);
        if (f.Length != Fields || f[0] != Marker || !Enum.TryParse<ListenerProtocol>(f[1], ignoreCase: true, out var protocol)
            || protocol is ListenerProtocol.Udp || !Enum.IsDefined(protocol) || f[1] != Protocol(protocol)
            || !int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var clientPort)
            || !decimal.TryParse(f[5], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253_402_300_799m)
        {
            return null;
        }

        var listenerId = f[2];
        var http = protocol is ListenerProtocol.Http or ListenerProtocol.Https;
        var server = Value(f[7]) is { } s && s != "<NOSRV>" ? s : null;
        var entry = new AccessLogEntry(
            DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)),
            listenerId,
            protocol,
            f[3],
            clientPort,
            BackendGroupId: BackendGroup(listenerId, f[6]),
            BackendId: server,
            Status: Number(f[8]) is { } status and <= 999 ? (int)status : null,
            BytesIn: Number(f[9]),
            BytesOut: Number(f[10]),
            RequestMs: Number(f[11]),
            QueueMs: Number(f[12]),
            ConnectMs: Number(f[13]),
            ResponseMs: Number(f[14]),
            TotalMs: Number(f[15]),
            TerminationState: Value(f[16]),
            Method: http ? Value(f[17]) : null,
            Uri: http ? Value(f[18]) : null);

        // The agent names a file after the listener, and reports the line: both need it to hold to the report's rules.
        return NodeReports.IsReportable(entry) ? entry : null;
    }

    private static string Protocol(ListenerProtocol protocol) => protocol.ToString().ToLowerInvariant();

    private static string? Value(string field) => field is "-" or "" ? null : field;

    /// <summary>A counter or a timer; haproxy writes -1 for a timer whose step never happened.</summary>
    private static long? Number(string field) =>
        long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>haproxy names a listener's backends <c>{listenerId}_{groupId}</c>; a request kept at the frontend names the frontend.</summary>
    private static string? BackendGroup(string listenerId, string backend) =>
        backend.StartsWith(listenerId + "_", StringComparison.Ordinal) && backend.Length > listenerId.Length + 1 ? backend[(listenerId.Length + 1)..] : null;
}
