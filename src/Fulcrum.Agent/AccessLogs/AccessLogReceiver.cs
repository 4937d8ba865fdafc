using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;
using Fulcrum.Dataplane.AccessLogs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.AccessLogs;

/// <summary>
/// Receives the access-log lines haproxy sends to <see cref="AccessLogFormat.SocketName"/> in the runtime directory,
/// and writes them to each listener's file and to <see cref="RecentAccessLogs"/>. The socket is bound when the agent
/// starts, before any data-plane process does, with mode 0660. haproxy never waits for it (datagrams): lines that come
/// faster than the files take them are dropped, and counted, rather than held in memory. With
/// <see cref="AccessLogOptions.SyslogSocket"/> each line also goes to syslog.
/// </summary>
public sealed partial class AccessLogReceiver(StateDirectory state, RecentAccessLogs recent, AccessLogOptions options, ILogger<AccessLogReceiver> logger) : BackgroundService
{
    /// <summary>Parsed lines waiting for the file writer.</summary>
    public const int QueueCapacity = 10_000;

    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private readonly Channel<AccessLogEntry> _queue = Channel.CreateBounded<AccessLogEntry>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private Socket? _socket;

    /// <summary>Lines lost since the agent started: not queued, not written or not taken by syslog.</summary>
    private long _dropped;

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

            if (!_queue.Writer.TryWrite(entry))
            {
                Drop();
            }
        }
    }

    private async Task WriteAsync()
    {
        using var files = new AccessLogFiles(Path.Combine(state.Path, "logs"));
        using var syslog = options.SyslogSocket is { } socket ? new SyslogForwarder(socket) : null;
        await foreach (var entry in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            recent.Add(entry);
            if (syslog?.Send(entry) is false)
            {
                Drop();
            }

            try
            {
                files.Append(entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Drop();
                LogWriteFailed(logger, entry.ListenerId, e.Message);
            }
        }
    }

    /// <summary>Counted for the metrics; logged once per queue's worth, so that an overwhelmed agent does not flood its own log.</summary>
    private void Drop()
    {
        AgentMetrics.AccessLogLineDropped();
        if (Interlocked.Increment(ref _dropped) is var dropped && dropped % QueueCapacity == 1)
        {
            LogDropping(logger, dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access-log lines are being dropped: {Dropped} so far")]
    private static partial void LogDropping(ILogger logger, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the access log of listener {ListenerId}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string listenerId, string reason);
}

/// <param name="SyslogSocket">A unix datagram socket (such as <c>/dev/log</c>) that also gets every line; null: the files only.</param>
public sealed record AccessLogOptions(string? SyslogSocket = null);
