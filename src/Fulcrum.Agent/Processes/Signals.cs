using System.Globalization;
using System.Runtime.InteropServices;

namespace Fulcrum.Agent.Processes;

/// <summary>
/// Signals to processes this node started, found by the pid files in its own runtime directory and confirmed by
/// their command line — never by process name, since several nodes share one host in the lab.
/// </summary>
public static class Signals
{
    public const int Hangup = 1;
    public const int User2 = 12;

    /// <summary>The pid in <paramref name="pidFile"/> if that process is alive and its command line mentions <paramref name="marker"/>.</summary>
    public static int? Running(string pidFile, string marker)
    {
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault()?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        var cmdline = $"/proc/{pid}/cmdline";
        try
        {
            return File.Exists(cmdline) && File.ReadAllText(cmdline).Contains(marker, StringComparison.Ordinal) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static bool Send(int pid, int signal) => Posix.Kill(pid, signal) == 0;
}

/// <summary>The two system calls .NET does not offer: signals other than SIGKILL, and rename(2) of a symbolic link.</summary>
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for no gain on these simple calls.
internal static class Posix
{
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    public static extern int Rename(string oldPath, string newPath);
}
#pragma warning restore SYSLIB1054
