using System.Runtime.InteropServices;

namespace Fulcrum.Agent.Processes;

/// <summary>
/// Waits for processes that are not the agent's children to exit: haproxy, nginx and keepalived run detached, so
/// there is no wait(2) to do. A pidfd (<c>pidfd_open(2)</c>, Linux 5.3) becomes readable when its process exits,
/// which poll(2) reports at once — no polling of the process table.
/// </summary>
public static class ProcessExits
{
    private const int PollIn = 1;

    /// <summary>
    /// The pids among <paramref name="pids"/> that have exited, as soon as one has, or none after
    /// <paramref name="timeout"/>. A pid that cannot be opened is gone already and counts as exited.
    /// </summary>
    public static IReadOnlyList<int> WaitAny(IReadOnlyList<int> pids, TimeSpan timeout)
    {
        var fds = new PollFd[pids.Count];
        Array.Fill(fds, new PollFd { Fd = -1 });
        var exited = new List<int>();
        try
        {
            for (var i = 0; i < pids.Count; i++)
            {
                fds[i] = new PollFd { Fd = PidFd.Open(pids[i]), Events = PollIn };
                if (fds[i].Fd < 0)
                {
                    exited.Add(pids[i]);
                }
            }

            if (exited.Count > 0)
            {
                return exited;
            }

            // An interrupted poll (EINTR) returns early with nothing: the caller looks again, as after a timeout.
            if (PidFd.Poll(fds, (nuint)fds.Length, (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue)) > 0)
            {
                exited.AddRange(pids.Where((_, i) => fds[i].Revents != 0));
            }

            return exited;
        }
        finally
        {
            foreach (var fd in fds.Where(f => f.Fd >= 0))
            {
                _ = PidFd.Close(fd.Fd);
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for no gain on these simple calls.
    private static class PidFd
    {
        /// <summary>pidfd_open has the same number on every architecture .NET runs Linux on (the unified table).</summary>
        private const nint PidFdOpenNumber = 434;

        public static int Open(int pid) => Syscall(PidFdOpenNumber, pid, 0);

        [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
        private static extern int Syscall(nint number, int pid, uint flags);

        [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
        public static extern int Poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
#pragma warning restore SYSLIB1054
}
