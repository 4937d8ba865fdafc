using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Fulcrum.Core.Api;
using Fulcrum.Dataplane.AccessLogs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.AccessLogs;

/// <summary>
/// Receives the access-log lines haproxy and nginx send to <see cref="AccessLogFormat.SocketName"/> in the runtime
/// directory, and writes them to each listener's file and to <see cref="RecentAccessLogs"/>. The socket is bound when
/// the agent starts, before any data-plane process does, with mode 0660. The senders never wait for it (datagrams):
/// lines that come faster than the files take them are dropped, and counted, rather than held in memory.
/// </summary>
public sealed partial class AccessLogReceiver(StateDirectory state, RecentAccessLogs recent, ILogger<AccessLogReceiver> logger) : BackgroundService
{
    /// <summary>Parsed lines waiting for the file writer.</summary>
    public const int QueueCapacity = 10_000;

    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private readonly Channel<AccessLogEntry> _queue = Channel.CreateBounded<AccessLogEntry>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private Socket? _socket;
    private long _dropped;

    /// <summary>Lines lost because the writer could not keep up, since the agent started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public string SocketPath => Path.Combine(state.Runtime, AccessLogFormat.SocketName);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        File.Delete(SocketPath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(SocketPath));
        File.SetUnixFileMode(SocketPath, SocketMode);
        _socket = socket;
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Here rather than at the end of <see cref="ExecuteAsync"/>, which does not run when the agent stops at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _socket?.Dispose();
        File.Delete(SocketPath);
    }

    public override void Dispose()
    {
        _socket?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var writer = WriteAsync();
        try
        {
            await ReceiveAsync(_socket!, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            await writer;
        }
    }

    private async Task ReceiveAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[AccessLogFormat.MaxLineLength + 1024];
        while (!ct.IsCancellationRequested)
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (AccessLogFormat.Parse(Encoding.UTF8.GetString(buffer, 0, length)) is not { } entry)
            {
                continue;
            }

            if (!_queue.Writer.TryWrite(entry) && Interlocked.Increment(ref _dropped) % QueueCapacity == 1)
            {
                LogDropping(logger, Dropped);
            }
        }
    }

    private async Task WriteAsync()
    {
        using var files = new AccessLogFiles(Path.Combine(state.Path, "logs"));
        await foreach (var entry in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            recent.Add(entry);
            try
            {
                files.Append(entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _dropped);
                LogWriteFailed(logger, entry.ListenerId, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access-log lines come faster than they are written: {Dropped} dropped so far")]
    private static partial void LogDropping(ILogger logger, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the access log of listener {ListenerId}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string listenerId, string reason);
}
