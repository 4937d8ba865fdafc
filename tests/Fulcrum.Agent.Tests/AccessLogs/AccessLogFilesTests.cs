using System.Text.Json;
using Fulcrum.Agent.AccessLogs;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;

namespace Fulcrum.Agent.Tests.AccessLogs;

public sealed class AccessLogFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("fulcrum-access-logs-").FullName, "logs");

    [Fact]
    public void Append_WritesOneJsonObjectALine_ReadableByOwnerAndGroupOnly()
    {
        using var files = new AccessLogFiles(_directory);
        files.Append(Line("lsn-a", 1));
        files.Append(Line("lsn-a", 2));

        var lines = File.ReadAllLines(files.PathOf("lsn-a"));
        Assert.Equal([1, 2], lines.Select(l => JsonSerializer.Deserialize<AccessLogEntry>(l, FulcrumJson.Options)!.ClientPort));
        Assert.StartsWith("{\"time\":", lines[0], StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(files.PathOf("lsn-a")));
    }

    [Fact]
    public void Append_PastTheSize_RotatesAndKeepsOnlyTheNewestGenerations()
    {
        var lineLength = JsonSerializer.SerializeToUtf8Bytes(Line("lsn-a", 10_000), FulcrumJson.Options).Length + 1;
        using (var files = new AccessLogFiles(_directory, maxBytes: 2 * lineLength, keep: 2))
        {
            for (var port = 10_000; port < 10_007; port++)
            {
                files.Append(Line("lsn-a", port));
            }
        }

        var path = Path.Combine(_directory, "lsn-a.log");
        Assert.Equal([10_006], Ports(path));
        Assert.Equal([10_004, 10_005], Ports(path + ".1"));
        Assert.Equal([10_002, 10_003], Ports(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
    }

    [Fact]
    public void Append_ManyListeners_EachToItsOwnFile()
    {
        using var files = new AccessLogFiles(_directory);
        for (var i = 0; i < 100; i++)
        {
            files.Append(Line($"lsn-{i}", i));
        }

        files.Append(Line("lsn-0", 1000));

        Assert.Equal([0, 1000], Ports(files.PathOf("lsn-0")));
        Assert.Equal([99], Ports(files.PathOf("lsn-99")));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);

    private static AccessLogEntry Line(string listenerId, int port) =>
        new(DateTimeOffset.UnixEpoch, listenerId, ListenerProtocol.Tcp, "198.18.0.100", port, TotalMs: 3);

    private static int[] Ports(string path) =>
        [.. File.ReadAllLines(path).Select(l => JsonSerializer.Deserialize<AccessLogEntry>(l, FulcrumJson.Options)!.ClientPort)];
}
