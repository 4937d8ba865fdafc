using System.Net.Sockets;
using System.Text;
using Fulcrum.Agent.AccessLogs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fulcrum.Agent.Tests.AccessLogs;

public sealed class AccessLogReceiverTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly StateDirectory _state = new(Directory.CreateTempSubdirectory("fulcrum-receiver-").FullName);
    private readonly RecentAccessLogs _recent = new();
    private readonly Socket _syslog = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly AccessLogReceiver _receiver;

    public AccessLogReceiverTests()
    {
        _state.Create();
        _syslog.Bind(new UnixDomainSocketEndPoint(SyslogPath));
        _receiver = new AccessLogReceiver(_state, _recent, new AccessLogOptions(SyslogPath), NullLogger<AccessLogReceiver>.Instance);
    }

    [Fact]
    public async Task Start_BindsTheSocketForOwnerAndGroupOnly_AndLinesSentThereReachTheFileTheHeartbeatAndSyslog()
    {
        await _receiver.StartAsync(CancellationToken.None);

        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(_receiver.SocketPath));
        await SendAsync("not a line of ours");
        await SendAsync("fulcrum1 http lsn-a 198.18.0.100 38552 1796305308.435 lsn-a_bg-1 be-1 404 91 500 0 0 0 8 8 ---- GET /x\n");

        var file = Path.Combine(_state.Path, "logs", "lsn-a.log");
        using var timeout = new CancellationTokenSource(Patience);
        while (_recent.Pending().Count == 0 || !File.Exists(file))
        {
            Assert.False(timeout.IsCancellationRequested, "the line never arrived");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, CancellationToken.None);
        }

        var entry = Assert.Single(Assert.Single(_recent.Pending()).Lines);
        Assert.Equal(("198.18.0.100", 404, "/x"), (entry.ClientAddress, entry.Status, entry.Uri));
        Assert.Contains("\"clientAddress\":\"198.18.0.100\"", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        var forwarded = new byte[9000];
        using var wait = new CancellationTokenSource(Patience);
        var length = await _syslog.ReceiveAsync(forwarded, SocketFlags.None, wait.Token);
        Assert.StartsWith("<134>fulcrum-access: {\"time\":", Encoding.UTF8.GetString(forwarded, 0, length), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_RemovesTheSocket()
    {
        await _receiver.StartAsync(CancellationToken.None);
        await _receiver.StopAsync(CancellationToken.None);

        Assert.False(File.Exists(_receiver.SocketPath));
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.StopAsync(CancellationToken.None);
        _receiver.Dispose();
        _syslog.Dispose();
        Directory.Delete(_state.Path, recursive: true);
    }

    private string SyslogPath => Path.Combine(_state.Path, "syslog.sock");

    private async Task SendAsync(string line)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_receiver.SocketPath));
        await socket.SendAsync(Encoding.UTF8.GetBytes(line));
    }
}
