using System.Net.Sockets;
using System.Text;
using Fulcrum.Agent.Reporting;
using Fulcrum.Dataplane;
using Fulcrum.Dataplane.Haproxy;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.Processes;

/// <summary>Where the data-plane programs are; configurable so that tests and odd hosts can point elsewhere.</summary>
public sealed record DataplaneBinaries(string Haproxy, string Nginx, string Keepalived, string NginxModules, string Nft)
{
    public static DataplaneBinaries Debian { get; } = new("/usr/sbin/haproxy", "/usr/sbin/nginx", "/usr/sbin/keepalived", "/usr/lib/nginx/modules", "/usr/sbin/nft");
}

/// <summary>Which tools a new generation changes: only those are reloaded.</summary>
public sealed record ToolChanges(bool Haproxy, bool Nginx, bool Keepalived)
{
    public static ToolChanges All { get; } = new(true, true, true);
}

/// <summary>
/// haproxy, nginx and keepalived of one node: validated with their own binaries, started on the configs under the
/// state directory's <c>current</c> link and reloaded in place — haproxy through its master (listening sockets are
/// handed over, so no connection is refused), nginx and keepalived by SIGHUP. They run detached from the agent, so
/// a restarted agent finds them by their pid files and the node keeps serving meanwhile.
/// </summary>
public sealed partial class Dataplane(StateDirectory state, DataplaneBinaries binaries, ILogger<Dataplane> logger) : IDataplane
{
    private const UnixFileMode ServerStateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static readonly TimeSpan ReloadConfirmation = TimeSpan.FromSeconds(10);

    private string Runtime => state.Runtime;

    private string HaproxyPid => Path.Combine(Runtime, "haproxy.pid");

    private string HaproxyMaster => Path.Combine(Runtime, "haproxy-master.sock");

    private string HaproxyStats => Path.Combine(Runtime, "haproxy.sock");

    private string HaproxyServerStateFile => Path.Combine(state.Current, HaproxyRenderer.ServerStateFile);

    private string NginxPid => Path.Combine(Runtime, "nginx.pid");

    private string KeepalivedPid => Path.Combine(Runtime, "keepalived.pid");

    /// <summary>The verdict of the validators of <paramref name="tools"/> on a staged generation: null when all of them accept it, else their messages.</summary>
    public async Task<string?> ValidateAsync(string generation, ToolChanges tools, CancellationToken ct)
    {
        var checks = new List<(string Tool, Task<CommandResult> Result)>(3);
        if (tools.Haproxy)
        {
            checks.Add(("haproxy", Commands.RunAsync(binaries.Haproxy, ["-c", "-q", "-f", Path.Combine(generation, RenderedConfig.HaproxyConfig)], ct)));
        }

        if (tools.Nginx)
        {
            checks.Add(("nginx", Commands.RunAsync(binaries.Nginx, NginxArguments(generation, "-t", "-q"), ct)));
        }

        if (tools.Keepalived)
        {
            checks.Add(("keepalived", Commands.RunAsync(binaries.Keepalived, ["--config-test", "-f", Path.Combine(generation, RenderedConfig.KeepalivedConfig)], ct)));
        }

        await Task.WhenAll(checks.Select(c => c.Result));
        var failures = checks.Where(c => !c.Result.Result.Succeeded).Select(c => $"{c.Tool}: {c.Result.Result.Output}").ToList();
        return failures.Count == 0 ? null : string.Join("\n", failures);
    }

    /// <summary>Starts what is not running and reloads what changed, on the generation <c>current</c> now points at.</summary>
    public async Task ApplyAsync(ToolChanges changes, CancellationToken ct)
    {
        await HaproxyAsync(changes.Haproxy, ct);
        await NginxAsync(changes.Nginx, ct);
        await KeepalivedAsync(changes.Keepalived, ct);
    }

    private async Task HaproxyAsync(bool changed, CancellationToken ct)
    {
        var config = Path.Combine(state.Current, RenderedConfig.HaproxyConfig);
        if (Signals.Running(HaproxyPid, state.Current) is not { } master)
        {
            // A state saved into this generation for an earlier reload may be long stale: a cold start checks afresh.
            StateDirectory.WriteAtomically(HaproxyServerStateFile, HaproxyRenderer.EmptyServerState, ServerStateMode);
            // The pid file is named by haproxy.cfg (the track script reads it too); a -p as well makes haproxy warn.
            await StartDetachedAsync(binaries.Haproxy, ["-W", "-D", "-S", HaproxyMaster + ",mode,600", "-f", config], "haproxy", ct);
            return;
        }

        if (!changed)
        {
            return;
        }

        // Not an answer about the config: the master may be busy or restarting, so this is worth trying again.
        var before = await MasterStatusAsync(ct) ?? throw new IOException("haproxy's master CLI does not answer.");
        await SaveServerStateAsync(config, ct);
        Signals.Send(master, Signals.User2);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(ReloadConfirmation);
        while (true)
        {
            // While the master re-executes itself its CLI is briefly gone: that is no answer yet, not a failure.
            var after = await MasterStatusAsync(deadline.Token) ?? before;
            if (after.Reloads > before.Reloads && after.Workers.Except(before.Workers).Any())
            {
                LogReloaded(logger, "haproxy");
                AgentMetrics.Reloaded("haproxy");
                return;
            }

            if (after.Failed > before.Failed)
            {
                throw new DataplaneException("haproxy refused the reload; the previous workers keep serving.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }

    /// <summary>
    /// Saves the running workers' server state for the new ones (see <see cref="HaproxyServerState"/>). Without an
    /// answer from the stats socket the new workers start from no state, as on a cold start, rather than a stale one.
    /// </summary>
    private async Task SaveServerStateAsync(string config, CancellationToken ct)
    {
        var saved = HaproxyRenderer.EmptyServerState;
        try
        {
            saved = HaproxyServerState.Keep(await SendAsync(HaproxyStats, "show servers state", ct), await File.ReadAllTextAsync(config, ct));
        }
        catch (SocketException e)
        {
            LogServerStateLost(logger, e.Message);
        }

        StateDirectory.WriteAtomically(HaproxyServerStateFile, saved, ServerStateMode);
    }

    private async Task NginxAsync(bool changed, CancellationToken ct)
    {
        if (Signals.Running(NginxPid, state.Current) is not { } pid)
        {
            await StartDetachedAsync(binaries.Nginx, NginxArguments(state.Current), "nginx", ct);
        }
        else if (changed)
        {
            Signals.Send(pid, Signals.Hangup);
            LogReloaded(logger, "nginx");
            AgentMetrics.Reloaded("nginx");
        }
    }

    private async Task KeepalivedAsync(bool changed, CancellationToken ct)
    {
        if (Signals.Running(KeepalivedPid, state.Current) is not { } pid)
        {
            // keepalived refuses to start while its pid files name a process that still exists — even a dead one
            // nobody has reaped yet, as after a power loss of the node: those files are stale by now.
            foreach (var stale in new[] { KeepalivedPid, Path.Combine(Runtime, "keepalived-vrrp.pid"), Path.Combine(Runtime, "keepalived-checkers.pid") })
            {
                File.Delete(stale);
            }

            // keepalived logs only to syslog or a console: it runs in the foreground, in the background of the shell.
            await StartDetachedAsync(
                binaries.Keepalived,
                [
                    "--dont-fork", "--log-console", "--log-detail",
                    "-f", Path.Combine(state.Current, RenderedConfig.KeepalivedConfig),
                    "-p", KeepalivedPid, "-r", Path.Combine(Runtime, "keepalived-vrrp.pid"), "-c", Path.Combine(Runtime, "keepalived-checkers.pid"),
                ],
                "keepalived",
                ct,
                background: true);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            while (Signals.Running(KeepalivedPid, state.Current) is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
        }
        else if (changed)
        {
            Signals.Send(pid, Signals.Hangup);
            LogReloaded(logger, "keepalived");
            AgentMetrics.Reloaded("keepalived");
        }
    }

    /// <summary>
    /// Starts a data-plane program detached from the agent: its output goes to a log file of the node's own (an
    /// inherited pipe would tie the daemon's life to the agent's), paths travel as arguments, never through the
    /// shell's parser. Daemonising programs report their start through their exit code.
    /// </summary>
    private async Task StartDetachedAsync(string program, string[] arguments, string tool, CancellationToken ct, bool background = false)
    {
        var log = Path.Combine(Runtime, tool + ".log");
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.Environment["FULCRUM_LOG"] = log;
        foreach (var argument in (string[])["-c", background ? Background : Foreground, program, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var shell = System.Diagnostics.Process.Start(start) ?? throw new DataplaneException($"{tool} did not start.");
        await shell.WaitForExitAsync(ct);
        if (shell.ExitCode != 0)
        {
            throw new DataplaneException($"{tool} did not start (exit {shell.ExitCode}): {Tail(log)}");
        }

        LogStarted(logger, tool);
    }

    private const string Foreground = "exec \"$0\" \"$@\" >>\"$FULCRUM_LOG\" 2>&1 </dev/null";
    private const string Background = "\"$0\" \"$@\" >>\"$FULCRUM_LOG\" 2>&1 </dev/null &";

    private static string Tail(string log) =>
        File.Exists(log) ? string.Join("\n", File.ReadLines(log).TakeLast(10)) : "";

    private string[] NginxArguments(string generation, params string[] extra) =>
    [
        .. extra,
        "-c", Path.Combine(generation, RenderedConfig.NginxConfig),
        "-p", Runtime + "/",
        "-e", Path.Combine(Runtime, "nginx-error.log"),
    ];

    private async Task<MasterStatus?> MasterStatusAsync(CancellationToken ct)
    {
        try
        {
            return MasterStatus.Parse(await SendAsync(HaproxyMaster, "show proc", ct));
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>One command on a haproxy CLI socket (master or stats); the socket closes after the answer.</summary>
    public static async Task<string> SendAsync(string socketPath, string command, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None, ct);
        // Half-closing tells haproxy there is no further command: it answers and closes.
        socket.Shutdown(SocketShutdown.Send);
        var answer = new StringBuilder();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
        {
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return answer.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Tool}")]
    private static partial void LogStarted(ILogger logger, string tool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded {Tool}")]
    private static partial void LogReloaded(ILogger logger, string tool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "haproxy's server state could not be read before the reload; the new workers check every server afresh: {Reason}")]
    private static partial void LogServerStateLost(ILogger logger, string reason);
}

/// <summary>A tool refused the generation it was given: the desired state itself is wrong for this node.</summary>
public sealed class DataplaneException(string message) : Exception(message);

/// <summary>
/// haproxy's master CLI <c>show proc</c>: the master's reload count (and failed reloads) and the current workers.
/// </summary>
public sealed record MasterStatus(int Reloads, int Failed, IReadOnlySet<int> Workers)
{
    public static MasterStatus Parse(string text)
    {
        var reloads = 0;
        var failed = 0;
        var workers = new HashSet<int>();
        var section = "";
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                section = line;
                continue;
            }

            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3 || !int.TryParse(fields[0], out var pid))
            {
                continue;
            }

            if (fields[1] == "master")
            {
                _ = int.TryParse(fields[2], out reloads);
                var failedAt = Array.IndexOf(fields, "[failed:");
                if (failedAt >= 0 && failedAt + 1 < fields.Length)
                {
                    _ = int.TryParse(fields[failedAt + 1].TrimEnd(']'), out failed);
                }
            }
            else if (fields[1] == "worker" && section.Contains("workers", StringComparison.Ordinal) && !section.Contains("old", StringComparison.Ordinal))
            {
                workers.Add(pid);
            }
        }

        return new MasterStatus(reloads, failed, workers);
    }
}
