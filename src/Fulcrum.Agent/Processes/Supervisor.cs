using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.Processes;

/// <summary>What the supervisor watches and acts on: the node's own data-plane processes.</summary>
public interface ISupervisedProcesses
{
    /// <summary>The pid of each data-plane program of this node running now, by tool name.</summary>
    IReadOnlyDictionary<string, int> Running();

    /// <summary>The pids among <paramref name="pids"/> that have exited, as soon as one has, or none after <paramref name="timeout"/>.</summary>
    Task<IReadOnlyList<int>> WaitForExitAsync(IReadOnlyList<int> pids, TimeSpan timeout, CancellationToken ct);

    /// <summary>Starts, on the generation being served, every program that is not running; false when nothing is served yet.</summary>
    Task<bool> StartMissingAsync(CancellationToken ct);

    /// <summary>Whether keepalived may hold the VIPs on this node: false puts the node's VRRP instance in FAULT at once.</summary>
    void TakePartInVrrp(bool healthy);

    /// <summary>The restarts counted before the agent itself last started.</summary>
    IReadOnlyList<ProcessRestarts> SavedRestarts();

    void SaveRestarts(IReadOnlyList<ProcessRestarts> restarts);
}

/// <summary>
/// Keeps haproxy, nginx and keepalived running: it learns each one's pid, is told by the kernel the moment one exits,
/// and starts it again on the generation being served. Every restart is counted for the heartbeat, and the counts are
/// kept across restarts of the agent itself. A node whose haproxy or nginx cannot be started gives up its VIPs at once
/// (keepalived watches the file the agent writes), keeps trying with a growing delay, and takes part in VRRP again —
/// by its normal rules — once both run.
/// </summary>
public sealed partial class Supervisor(ISupervisedProcesses processes, TimeProvider time, ILogger<Supervisor> logger) : BackgroundService
{
    /// <summary>How often the pid files are read again, to learn programs started by an apply.</summary>
    public static readonly TimeSpan Rescan = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    /// <summary>The programs that serve the VIPs' traffic: without one of them the node must not hold the VIPs.</summary>
    private static readonly string[] Serving = ["haproxy", "nginx"];

    private readonly Dictionary<string, int> _watched = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProcessRestarts> _restarts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missing = new(StringComparer.Ordinal);
    private int _failedAttempts;
    private bool? _takingPart;

    /// <summary>Every program restarted so far, for the heartbeat.</summary>
    public IReadOnlyList<ProcessRestarts> Restarts()
    {
        lock (_restarts)
        {
            return [.. _restarts.Values.OrderBy(r => r.Tool, StringComparer.Ordinal)];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lock (_restarts)
        {
            foreach (var restart in processes.SavedRestarts())
            {
                _restarts[restart.Tool] = restart;
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            Adopt(processes.Running());
            var wait = _missing.Count > 0 ? RetryDelay() : Rescan;
            var exited = await processes.WaitForExitAsync([.. _watched.Values], wait, stoppingToken);
            foreach (var (tool, pid) in _watched.Where(w => exited.Contains(w.Value)).ToList())
            {
                _watched.Remove(tool);
                _missing.Add(tool);
                Record(tool, $"{tool} (pid {pid}) exited");
                LogExited(logger, tool, pid);
            }

            if (exited.Count > 0)
            {
                Save();
            }

            if (_missing.Count > 0)
            {
                await StartMissingAsync(stoppingToken);
            }
        }
    }

    /// <summary>Watches programs that run now; one that was missing and runs again (started by an apply, too) is back.</summary>
    private void Adopt(IReadOnlyDictionary<string, int> running)
    {
        foreach (var (tool, pid) in running)
        {
            _watched[tool] = pid;
            _missing.Remove(tool);
        }

        if (_missing.Count == 0)
        {
            _failedAttempts = 0;
        }

        TakePart(!Serving.Any(_missing.Contains));
    }

    private async Task StartMissingAsync(CancellationToken ct)
    {
        string? failure = null;
        try
        {
            if (!await processes.StartMissingAsync(ct))
            {
                // Nothing is served yet: the first apply starts every program, and the next look adopts them.
                _failedAttempts++;
                return;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            failure = e.Message;
        }

        var running = processes.Running();
        foreach (var tool in _missing.ToList())
        {
            if (running.TryGetValue(tool, out var pid))
            {
                Amend(tool, $"started again (pid {pid})");
                LogRestarted(logger, tool, pid);
                AgentMetrics.Restarted(tool);
            }
            else
            {
                failure ??= "it did not stay up";
                Amend(tool, $"could not be started: {failure}");
                LogStartFailed(logger, tool, failure);
            }
        }

        Save();
        Adopt(running);
        if (_missing.Count > 0)
        {
            _failedAttempts++;
        }
    }

    private void TakePart(bool healthy)
    {
        if (_takingPart == healthy)
        {
            return;
        }

        processes.TakePartInVrrp(healthy);
        _takingPart = healthy;
        if (!healthy)
        {
            LogVipsGivenUp(logger);
        }
    }

    /// <summary>Doubles from 200 ms to 5 s, with jitter so that a failing start does not beat in step with anything.</summary>
    private TimeSpan RetryDelay()
    {
        var ceiling = Math.Min(MaxRetry.TotalMilliseconds, FirstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(_failedAttempts, 10)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private void Save()
    {
        try
        {
            processes.SaveRestarts(Restarts());
        }
        catch (IOException e)
        {
            LogNotSaved(logger, e.Message);
        }
    }

    private void Record(string tool, string reason)
    {
        lock (_restarts)
        {
            var count = _restarts.TryGetValue(tool, out var before) ? before.Count : 0;
            _restarts[tool] = new ProcessRestarts(tool, count + 1, reason, time.GetUtcNow());
        }
    }

    private void Amend(string tool, string outcome)
    {
        lock (_restarts)
        {
            if (_restarts.TryGetValue(tool, out var restart))
            {
                var exit = restart.LastReason?.Split("; ")[0];
                _restarts[tool] = restart with { LastReason = $"{exit}; {outcome}" };
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool} (pid {Pid}) exited; starting it again")]
    private static partial void LogExited(ILogger logger, string tool, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool} started again (pid {Pid})")]
    private static partial void LogRestarted(ILogger logger, string tool, int pid);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Tool} could not be started again; retrying: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string tool, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "haproxy or nginx is not running: this node gives up its VIPs until both are")]
    private static partial void LogVipsGivenUp(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the restart counts; they start again from these if the agent restarts: {Reason}")]
    private static partial void LogNotSaved(ILogger logger, string reason);
}
