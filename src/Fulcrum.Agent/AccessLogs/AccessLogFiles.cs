using System.Globalization;
using System.Text.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;

namespace Fulcrum.Agent.AccessLogs;

/// <summary>
/// Each listener's access log on the node: <c>{listenerId}.log</c>, one JSON object a line, readable by the agent's
/// user and its group (0640). A file that would grow past <c>maxBytes</c> is rotated: <c>.log</c> becomes
/// <c>.log.1</c>, <c>.log.1</c> becomes <c>.log.2</c> and so on, and the oldest beyond <c>keep</c> is dropped.
/// Files stay open between lines; not thread-safe (one writer).
/// </summary>
public sealed class AccessLogFiles(string directory, long maxBytes = AccessLogFiles.DefaultMaxBytes, int keep = AccessLogFiles.DefaultKeep) : IDisposable
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;
    public const int DefaultKeep = 3;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>Listeners whose files stay open; beyond it the least recently written one is closed.</summary>
    private const int MaxOpen = 64;

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Dictionary<string, FileStream> _open = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recent = new();

    public string PathOf(string listenerId) => Path.Combine(directory, listenerId + ".log");

    public void Append(AccessLogEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, FulcrumJson.Options);
        var stream = Open(entry.ListenerId);
        if (stream.Length > 0 && stream.Length + line.Length + 1 > maxBytes)
        {
            Close(entry.ListenerId);
            Rotate(entry.ListenerId);
            stream = Open(entry.ListenerId);
        }

        stream.Write(line);
        stream.Write(NewLine);
        stream.Flush();
    }

    public void Dispose()
    {
        foreach (var id in _open.Keys.ToList())
        {
            Close(id);
        }
    }

    private FileStream Open(string listenerId)
    {
        if (_open.TryGetValue(listenerId, out var open))
        {
            _recent.Remove(listenerId);
            _recent.AddFirst(listenerId);
            return open;
        }

        if (_open.Count >= MaxOpen && _recent.Last is { } oldest)
        {
            Close(oldest.Value);
        }

        Directory.CreateDirectory(directory, DirectoryMode);
        var stream = new FileStream(PathOf(listenerId), new FileStreamOptions
        {
            Mode = System.IO.FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            UnixCreateMode = FileMode,
        });
        _open[listenerId] = stream;
        _recent.AddFirst(listenerId);
        return stream;
    }

    private void Close(string listenerId)
    {
        if (_open.Remove(listenerId, out var stream))
        {
            stream.Dispose();
            _recent.Remove(listenerId);
        }
    }

    private void Rotate(string listenerId)
    {
        var path = PathOf(listenerId);
        File.Delete(Rotated(path, keep));
        for (var i = keep - 1; i >= 1; i--)
        {
            if (File.Exists(Rotated(path, i)))
            {
                File.Move(Rotated(path, i), Rotated(path, i + 1));
            }
        }

        if (keep > 0)
        {
            File.Move(path, Rotated(path, 1));
        }
        else
        {
            File.Delete(path);
        }
    }

    private static string Rotated(string path, int generation) => path + "." + generation.ToString(CultureInfo.InvariantCulture);
}
