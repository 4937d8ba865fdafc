using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fulcrum.Lab.Backends;

/// <summary>
/// The lab's backend: answers HTTP with its own name and the request's headers (so a test sees which backend served
/// it and what the load balancer added), greets TCP connections with its name and echoes, and answers each UDP
/// datagram with its name and the payload. HTTP/1.1 keep-alive is honoured, as real servers do. With
/// <c>proxyProtocol</c> the TCP port expects a PROXY protocol header (v1 or v2) first and greets with the client's
/// address it carries and the header's version: <c>be1 from 198.18.0.10 (PROXY v2)</c>.
/// </summary>
public static class SampleBackend
{
    public static async Task RunAsync(string name, IPAddress address, int? http, int? tcp, int? udp, bool proxyProtocol, CancellationToken ct)
    {
        var servers = new List<Task>();
        if (http is { } httpPort)
        {
            servers.Add(AcceptAsync(address, httpPort, stream => ServeHttpAsync(name, stream, ct), ct));
        }

        if (tcp is { } tcpPort)
        {
            servers.Add(AcceptAsync(address, tcpPort, stream => EchoAsync(name, proxyProtocol, stream, ct), ct));
        }

        if (udp is { } udpPort)
        {
            servers.Add(AnswerUdpAsync(name, new IPEndPoint(address, udpPort), ct));
        }

        await Console.Out.WriteLineAsync($"{name} ready");
        await Task.WhenAll(servers);
    }

    private static async Task AcceptAsync(IPAddress address, int port, Func<NetworkStream, Task> serve, CancellationToken ct)
    {
        using var listener = new TcpListener(address, port);
        listener.Start(512);
        while (!ct.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(ct);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await serve(client.GetStream());
                    }
                    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidDataException)
                    {
                    }
                }
            }, ct);
        }
    }

    private static async Task ServeHttpAsync(string name, NetworkStream stream, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        while (await reader.ReadLineAsync(ct) is { Length: > 0 } requestLine)
        {
            var headers = new List<string>();
            var contentLength = 0;
            var close = requestLine.EndsWith("HTTP/1.0", StringComparison.Ordinal);
            while (await reader.ReadLineAsync(ct) is { Length: > 0 } header)
            {
                headers.Add(header);
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                var key = colon > 0 ? header[..colon].Trim() : "";
                var value = colon > 0 ? header[(colon + 1)..].Trim() : "";
                if (key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    _ = int.TryParse(value, out contentLength);
                }
                else if (key.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    close = value.Equals("close", StringComparison.OrdinalIgnoreCase);
                }
            }

            if (contentLength > 0)
            {
                var discard = new char[contentLength];
                await reader.ReadBlockAsync(discard.AsMemory(), ct);
            }

            var body = Encoding.UTF8.GetBytes($"{name}\n{requestLine}\n{string.Join('\n', headers)}\n");
            var head = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nX-Backend: {name}\r\n{(close ? "Connection: close\r\n" : "")}\r\n");
            // One write: a head and body sent apart wait on the client's delayed ACK (Nagle), 40 ms per keep-alive request.
            await stream.WriteAsync(head.Concat(body).ToArray(), ct);
            if (close)
            {
                return;
            }
        }
    }

    private static async Task EchoAsync(string name, bool proxyProtocol, NetworkStream stream, CancellationToken ct)
    {
        var greeting = name;
        if (proxyProtocol)
        {
            var (version, source) = await ProxyProtocolHeader.ReadAsync(stream, ct);
            greeting = $"{name} from {source} (PROXY v{version})";
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(greeting + "\n"), ct);
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    private static async Task AnswerUdpAsync(string name, IPEndPoint endpoint, CancellationToken ct)
    {
        using var udp = new UdpClient(endpoint);
        while (!ct.IsCancellationRequested)
        {
            var datagram = await udp.ReceiveAsync(ct);
            var answer = Encoding.UTF8.GetBytes($"{name} {Encoding.UTF8.GetString(datagram.Buffer)}");
            await udp.SendAsync(answer, datagram.RemoteEndPoint, ct);
        }
    }
}
