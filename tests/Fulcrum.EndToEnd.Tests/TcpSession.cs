using System.Net;
using System.Net.Sockets;
using System.Text;
using Fulcrum.Lab.Network;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// A TCP connection from the lab's client namespace to the sample backends' greet-and-echo port, usually through a
/// VIP: the greeting's first word names the backend that took it.
/// </summary>
public sealed class TcpSession : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly Socket _socket;

    private TcpSession(Socket socket, string greeting)
    {
        _socket = socket;
        Greeting = greeting;
    }

    public string Greeting { get; }

    public string Backend => Greeting.Split(' ')[0];

    /// <summary>The client's own port, as the load balancer sees it.</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public static async Task<TcpSession> OpenAsync(NamespaceSockets client, string address, int port)
    {
        var socket = client.Create(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), port), timeout.Token);
            return new TcpSession(socket, await ReadLineAsync(socket, timeout.Token));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Like <see cref="OpenAsync"/>, null when nothing greeted (refused, closed, timed out): for waiting until a VIP serves.</summary>
    public static async Task<TcpSession?> TryOpenAsync(NamespaceSockets client, string address, int port)
    {
        try
        {
            return await OpenAsync(client, address, port);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends a line and returns the line echoed back.</summary>
    public async Task<string> EchoAsync(string line)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.ASCII.GetBytes(line + "\n"), SocketFlags.None, timeout.Token);
        return await ReadLineAsync(_socket, timeout.Token);
    }

    /// <summary>
    /// Closes politely: stops sending, then reads until the other end has closed too. By then the load balancer has
    /// seen the backend close its side and no longer counts the connection against it.
    /// </summary>
    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        _socket.Shutdown(SocketShutdown.Send);
        var buffer = new byte[256];
        while (await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
        {
        }

        _socket.Dispose();
    }

    public void Dispose() => _socket.Dispose();

    private static async Task<string> ReadLineAsync(Socket socket, CancellationToken ct)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None, ct) == 0)
            {
                throw new IOException($"The connection closed after '{Encoding.ASCII.GetString([.. line])}', before a whole line.");
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString([.. line]);
            }

            line.Add(one[0]);
        }
    }
}
