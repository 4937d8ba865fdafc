using Fulcrum.Agent.Apply;
using Fulcrum.Core.Api;
using Fulcrum.Dataplane.Keepalived;

namespace Fulcrum.Agent.Processes;

/// <summary>
/// This node's haproxy, nginx and keepalived as the supervisor sees them: found by the pid files in the node's own
/// runtime directory and confirmed by their command line naming the node's configuration (several nodes share a
/// host in the lab), started again through the applier so that a restart never races an apply.
/// </summary>
public sealed class NodeProcesses(StateDirectory state, Applier applier, TimeProvider time) : ISupervisedProcesses
{
    private const UnixFileMode FaultFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly TimeSpan StartConfirmation = TimeSpan.FromSeconds(2);

    private static readonly (string Tool, string PidFile)[] Tools = [("haproxy", "haproxy.pid"), ("nginx", "nginx.pid"), ("keepalived", "keepalived.pid")];

    public IReadOnlyDictionary<string, int> Running()
    {
        var running = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (tool, pidFile) in Tools)
        {
            if (Signals.Running(Path.Combine(state.Runtime, pidFile), state.Current) is { } pid)
            {
                running[tool] = pid;
            }
        }

        return running;
    }

    public async Task<IReadOnlyList<int>> WaitForExitAsync(IReadOnlyList<int> pids, TimeSpan timeout, CancellationToken ct)
    {
        if (pids.Count == 0)
        {
            await Task.Delay(timeout, time, ct);
            return [];
        }

        // poll(2) blocks its thread for at most the timeout, so a stopping agent waits at most that long for it.
        return await Task.Factory.StartNew(() => ProcessExits.WaitAny(pids, timeout), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// haproxy's master writes its pid file a moment after the command that starts it has returned: the start is
    /// confirmed once every program's pid file names it, or given up on after a while.
    /// </summary>
    public async Task<bool> StartMissingAsync(CancellationToken ct)
    {
        if (!await applier.StartMissingAsync(ct))
        {
            return false;
        }

        var deadline = time.GetTimestamp();
        while (Running().Count < Tools.Length && time.GetElapsedTime(deadline) < StartConfirmation)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, ct);
        }

        return true;
    }

    public IReadOnlyList<ProcessRestarts> SavedRestarts() => StateDirectory.Read<List<ProcessRestarts>>(state.RestartsFile) ?? [];

    public void SaveRestarts(IReadOnlyList<ProcessRestarts> restarts) => StateDirectory.WritePrivate(state.RestartsFile, restarts);

    /// <summary>keepalived follows this file by inotify (<c>track_file</c>): a non-zero value is a FAULT, without waiting for a script.</summary>
    public void TakePartInVrrp(bool healthy) =>
        StateDirectory.WriteAtomically(Path.Combine(state.Runtime, KeepalivedRenderer.FaultFile), healthy ? "0\n" : "1\n", FaultFileMode);
}
