using System.Text.Json;
using Fulcrum.Core.Json;

namespace Fulcrum.Agent;

/// <summary>
/// A node's own directory: its credential, its last good snapshot, the rendered generations with <c>current</c>
/// pointing at the one being served, and the runtime files (sockets, pid files) of its data-plane processes. Several
/// nodes on one host each have their own, so nothing is ever found by a fixed path or a process name.
/// </summary>
public sealed class StateDirectory
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public StateDirectory(string path, string? runtime = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        Runtime = System.IO.Path.GetFullPath(runtime ?? System.IO.Path.Combine(Path, "run"));
    }

    public string Path { get; }

    public string Runtime { get; }

    public string CredentialFile => System.IO.Path.Combine(Path, "credential.json");

    public string SnapshotFile => System.IO.Path.Combine(Path, "snapshot.json");

    /// <summary>How often each data-plane program was restarted, kept across restarts of the agent.</summary>
    public string RestartsFile => System.IO.Path.Combine(Path, "restarts.json");

    public string Generations => System.IO.Path.Combine(Path, "generations");

    /// <summary>The generation being served; data-plane processes are started on configs under this link.</summary>
    public string Current => System.IO.Path.Combine(Path, "current");

    public string VrrpStateFile => System.IO.Path.Combine(Runtime, "vrrp-state");

    public void Create()
    {
        Directory.CreateDirectory(Path, PrivateDirectory);
        Directory.CreateDirectory(Generations, PrivateDirectory);
        Directory.CreateDirectory(Runtime, PrivateDirectory);
    }

    /// <summary>
    /// Drops the cached snapshot, the restart counts and every generation but the one <c>current</c> points at (a
    /// running haproxy may still read from it): what an earlier enrolment served says nothing about what this one should.
    /// </summary>
    public void ForgetServed()
    {
        File.Delete(SnapshotFile);
        File.Delete(RestartsFile);
        var current = new FileInfo(Current).LinkTarget is { } target ? System.IO.Path.GetFullPath(target, Path) : null;
        foreach (var generation in new DirectoryInfo(Generations).GetDirectories().Where(d => d.FullName != current))
        {
            generation.Delete(recursive: true);
        }
    }

    public static T? Read<T>(string file)
        where T : class =>
        File.Exists(file) ? JsonSerializer.Deserialize<T>(File.ReadAllText(file), FulcrumJson.Options) : null;

    /// <summary>Writes JSON readable by this user only, atomically: a crash leaves the old file or the new one.</summary>
    public static void WritePrivate<T>(string file, T value) => WriteAtomically(file, JsonSerializer.Serialize(value, FulcrumJson.Options), PrivateFile);

    public static void WriteAtomically(string file, string content, UnixFileMode mode)
    {
        var temporary = file + ".tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.SetUnixFileMode(temporary, mode);
        File.Move(temporary, file, overwrite: true);
    }
}
