using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;

namespace Fulcrum.Agent.AccessLogs;

/// <summary>
/// Sends each access-log line, the same JSON as in the files, to the host's syslog socket (a unix datagram socket such
/// as <c>/dev/log</c>) as facility local0, severity info, tag <c>fulcrum-access</c>. Never waits: a line syslog does not
/// take at once is lost, and reported as such.
/// </summary>
public sealed class SyslogForwarder(string socketPath) : IDisposable
{
    public const string Tag = "fulcrum-access";

    /// <summary>local0 (16) × 8 + info (6).</summary>
    private const int Priority = 134;

    private Socket? _socket;

    /// <returns>Whether syslog took the line.</returns>
    public bool Send(AccessLogEntry entry)
    {
        var message = Encoding.UTF8.GetBytes($"<{Priority}>{Tag}: {JsonSerializer.Serialize(entry, FulcrumJson.Options)}");
        try
        {
            _socket ??= Connect();
            return _socket.Send(message, SocketFlags.None) == message.Length;
        }
        catch (SocketException)
        {
            // syslog restarted or is gone: the next line connects again.
            _socket?.Dispose();
            _socket = null;
            return false;
        }
    }

    public void Dispose() => _socket?.Dispose();

    private Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
