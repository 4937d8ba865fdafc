using System.Net.Sockets;
using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Reporting;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.Processes;

/// <summary>
/// Changes haproxy's servers in place through its runtime API (the stats socket, level admin) instead of reloading
/// it: no new worker, no handed-over sockets, effective at once. Every change is read back with
/// <c>show servers state</c>; anything that is not confirmed — a command haproxy refused, a socket that does not
/// answer — is left to a reload, which takes haproxy to the generation's configuration whatever was changed here.
/// </summary>
public sealed partial class HaproxyRuntime(StateDirectory state, ILogger<HaproxyRuntime> logger)
{
    /// <summary>haproxy reads a CLI line into one buffer (16 kB by default): commands go in lines well below it.</summary>
    private const int MaxLineLength = 8 * 1024;

    private string StatsSocket => Path.Combine(state.Runtime, "haproxy.sock");

    /// <summary>How often a removed server's <c>del server</c> is tried while its last connections close.</summary>
    private const int DeleteAttempts = 40;

    private static readonly TimeSpan DeleteRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Makes <paramref name="changes"/> (see <see cref="RuntimeChanges.Plan"/>) to the running haproxy without a
    /// reload; false when they are not all confirmed and a reload is needed.
    /// </summary>
    public async Task<bool> TryApplyAsync(IReadOnlyList<RuntimeServerChange> changes, CancellationToken ct)
    {
        if (!File.Exists(StatsSocket))
        {
            return false;
        }

        try
        {
            await SendAllAsync(changes.SelectMany(c => c.Commands()), ct);
            // A removed server goes once its sessions are shut; haproxy refuses del server while one is still open.
            var deleting = changes.Where(c => c.Deletes).ToList();
            for (var attempt = 0; deleting.Count > 0 && attempt < DeleteAttempts; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(DeleteRetryDelay, ct);
                }

                await SendAllAsync(deleting.Select(c => c.DeleteCommand!), ct);
                var present = Present(await StateAsync(deleting.Select(c => c.Before!.Backend), ct));
                deleting = [.. deleting.Where(c => present.ContainsKey((c.Before!.Backend, c.Before.Server)))];
            }

            await SendAllAsync(changes.SelectMany(c => c.AddCommands()), ct);
            var backends = changes.Select(c => (c.After ?? c.Before)!.Backend);
            if (Unconfirmed(changes, await StateAsync(backends, ct)) is { } refused)
            {
                LogUnconfirmed(logger, refused.Backend, refused.Server);
                return false;
            }
        }
        catch (SocketException e)
        {
            LogUnreachable(logger, e.Message);
            return false;
        }

        LogChanged(logger, changes.Count);
        AgentMetrics.ChangedAtRuntime("haproxy", changes.Count);
        return true;
    }

    private async Task SendAllAsync(IEnumerable<string> commands, CancellationToken ct)
    {
        foreach (var line in Lines(commands))
        {
            await Dataplane.SendAsync(StatsSocket, line, ct);
        }
    }

    /// <summary><c>show servers state</c> of each of <paramref name="backends"/>.</summary>
    private async Task<string> StateAsync(IEnumerable<string> backends, CancellationToken ct)
    {
        var answers = new List<string>();
        foreach (var line in Lines(backends.Distinct(StringComparer.Ordinal).Select(b => $"show servers state {b}")))
        {
            answers.Add(await Dataplane.SendAsync(StatsSocket, line, ct));
        }

        return string.Concat(answers);
    }

    /// <summary>Commands joined with ';' (which haproxy's CLI runs in turn) into lines of at most <see cref="MaxLineLength"/>.</summary>
    public static IEnumerable<string> Lines(IEnumerable<string> commands)
    {
        var line = new System.Text.StringBuilder();
        foreach (var command in commands)
        {
            if (line.Length > 0 && line.Length + 1 + command.Length > MaxLineLength)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? ";" : "").Append(command);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    /// <summary>
    /// The first server that <c>show servers state</c> does not show as planned (address, port, weight and forced
    /// maintenance; a removed one not at all), or null when every change took.
    /// </summary>
    public static RuntimeServer? Unconfirmed(IReadOnlyList<RuntimeServerChange> changes, string serversState)
    {
        var seen = Present(serversState);
        foreach (var change in changes)
        {
            if (change.After is not { } wanted)
            {
                if (seen.ContainsKey((change.Before!.Backend, change.Before.Server)))
                {
                    return change.Before;
                }
            }
            else if (!seen.TryGetValue((wanted.Backend, wanted.Server), out var actual) || actual != wanted with { Backup = false })
            {
                return wanted;
            }
        }

        return null;
    }

    /// <summary>The servers <c>show servers state</c> shows; the backup flag is not part of its answer.</summary>
    private static Dictionary<(string, string), RuntimeServer> Present(string serversState)
    {
        var seen = new Dictionary<(string, string), RuntimeServer>();
        Dictionary<string, int>? columns = null;
        foreach (var line in serversState.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                columns = line[2..].Split(' ').Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);
                continue;
            }

            var fields = line.Split(' ');
            if (columns is null || fields.Length != columns.Count)
            {
                continue;
            }

            string Field(string name) => columns.TryGetValue(name, out var i) ? fields[i] : "";
            if (int.TryParse(Field("srv_port"), out var port) && int.TryParse(Field("srv_uweight"), out var weight) && int.TryParse(Field("srv_admin_state"), out var admin))
            {
                var backend = Field("be_name");
                var server = Field("srv_name");
                seen[(backend, server)] = new RuntimeServer(backend, server, Field("srv_addr"), port, weight, (admin & 0x01) != 0);
            }
        }

        return seen;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Changed {Count} servers through haproxy's runtime API, without a reload")]
    private static partial void LogChanged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "haproxy did not confirm the runtime change of {Backend}/{Server}; reloading instead")]
    private static partial void LogUnconfirmed(ILogger logger, string backend, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "haproxy's stats socket did not answer a runtime change; reloading instead: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}
