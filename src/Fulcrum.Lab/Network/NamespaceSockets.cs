using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Fulcrum.Lab.Network;

/// <summary>
/// Opens sockets inside a network namespace, from this process: a dedicated thread joins the namespace (setns) and
/// creates sockets there on request — a socket belongs to the namespace it was created in, whatever thread uses it
/// afterwards. Tests and the demo thus send real traffic from the lab's client namespace without starting programs.
/// </summary>
public sealed partial class NamespaceSockets : IDisposable
{
    private const int NewNetworkNamespace = 0x40000000;
    private readonly BlockingCollection<(AddressFamily Family, SocketType Type, ProtocolType Protocol, TaskCompletionSource<Socket> Result)> _requests = new();
    private readonly Thread _thread;

    public NamespaceSockets(string ns)
    {
        var joined = new TaskCompletionSource();
        _thread = new Thread(() => Serve(ns, joined)) { IsBackground = true, Name = $"netns {ns}" };
        _thread.Start();
        joined.Task.GetAwaiter().GetResult();
    }

    public Socket Create(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        var result = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((family, type, protocol, result));
        return result.Task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// An HTTP client whose every connection starts in the namespace. Without <paramref name="followRedirects"/> a
    /// redirect is answered as it came (its status and Location), not followed.
    /// </summary>
    public HttpClient HttpClient(
        TimeSpan timeout, bool keepAlive = false, System.Net.Security.RemoteCertificateValidationCallback? certificates = null, bool followRedirects = true)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            PooledConnectionLifetime = keepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
            ConnectCallback = async (context, ct) =>
            {
                var address = IPAddress.Parse(context.DnsEndPoint.Host);
                var socket = Create(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (certificates is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = certificates;
        }

        return new HttpClient(handler) { Timeout = timeout };
    }

    /// <summary>Sends one datagram and waits for one answer; null when none came within the timeout.</summary>
    public async Task<string?> UdpExchangeAsync(IPEndPoint target, string payload, TimeSpan timeout)
    {
        using var socket = Create(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.SendToAsync(System.Text.Encoding.UTF8.GetBytes(payload), target);
        var buffer = new byte[2048];
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, received);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _requests.CompleteAdding();

    private void Serve(string ns, TaskCompletionSource joined)
    {
        try
        {
            using var handle = File.OpenHandle(Path.Combine("/var/run/netns", ns));
            if (setns((int)handle.DangerousGetHandle(), NewNetworkNamespace) != 0)
            {
                throw new InvalidOperationException($"setns into {ns} failed (errno {Marshal.GetLastPInvokeError()}); it needs root.");
            }

            joined.SetResult();
        }
        catch (Exception e)
        {
            joined.SetException(e);
            return;
        }

        foreach (var (family, type, protocol, result) in _requests.GetConsumingEnumerable())
        {
            try
            {
                result.SetResult(new Socket(family, type, protocol));
            }
            catch (SocketException e)
            {
                result.SetException(e);
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for no gain on a single int call.
    private static extern int setns(int fd, int nstype);
#pragma warning restore SYSLIB1054
}
