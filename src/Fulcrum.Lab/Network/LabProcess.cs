using System.Diagnostics;

namespace Fulcrum.Lab.Network;

/// <summary>
/// A program the lab started inside one of its namespaces. Its output is kept (the last lines) so that a failing
/// test can show what the program said; it is ended by its own pid, never by name.
/// </summary>
public sealed class LabProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly System.Text.StringBuilder? _everything;

    private LabProcess(string name, Process process, bool keepEverything)
    {
        Name = name;
        _process = process;
        _everything = keepEverything ? new System.Text.StringBuilder() : null;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="program"/> in namespace <paramref name="ns"/>, or in the host's own when it is null.</summary>
    /// <param name="keepEverything">Keep all the process says, not only its last lines (<see cref="Transcript"/>).</param>
    public static LabProcess Start(string name, string? ns, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, bool keepEverything = false)
    {
        var start = new ProcessStartInfo(ns is null ? program : "ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in (ns is null ? [] : new[] { "netns", "exec", ns, program }).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new LabProcess(name, Process.Start(start)!, keepEverything);
    }

    public string Output()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }

    /// <summary>Everything the process said, when it was started keeping everything; else its last lines.</summary>
    public string Transcript()
    {
        lock (_lines)
        {
            return _everything?.ToString() ?? string.Join('\n', _lines);
        }
    }

    /// <summary>Waits until the process has exited and all it wrote has been read: what it printed last may arrive after it exited.</summary>
    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    /// <summary>Ends the process: SIGKILL, as a crash would (a node lost, not a node shut down politely).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _everything?.Append(line).Append('\n');
            _lines.Enqueue(line);
            while (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
    }
}
