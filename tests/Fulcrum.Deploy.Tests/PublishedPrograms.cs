using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace Fulcrum.Deploy.Tests;

/// <summary>The single-file programs, published once for the whole test class by scripts/publish for this machine's RID.</summary>
public sealed class PublishedPrograms : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("fulcrum-publish-test-");

    public PublishedPrograms()
    {
        Repository = FindRepository();
        Version = XDocument.Load(Path.Combine(Repository, "Directory.Build.props")).Descendants("Version").Single().Value;
        var run = ProgramRun.Start(Path.Combine(Repository, "scripts", "publish"), ["--output", _root.FullName, RuntimeInformation.RuntimeIdentifier], Repository);
        var exit = run.WaitForExit(TimeSpan.FromMinutes(15));
        if (exit != 0)
        {
            throw new InvalidOperationException($"scripts/publish failed ({exit}):\n{run.Output}");
        }

        Directory = Path.Combine(_root.FullName, RuntimeInformation.RuntimeIdentifier);
        // Private to this run: a single file unpacks its native libraries here rather than under the user's home.
        ExtractDirectory = System.IO.Directory.CreateDirectory(Path.Combine(_root.FullName, "extract")).FullName;
    }

    public string Repository { get; }

    /// <summary>Directory.Build.props' Version, which every program's --version starts with.</summary>
    public string Version { get; }

    public string Directory { get; }

    public string ExtractDirectory { get; }

    /// <summary>What an operator would copy to a host and run: the executable files of the publish output.</summary>
    public IReadOnlyList<string> Executables =>
        new DirectoryInfo(Directory).GetFiles()
            .Where(f => f.Extension.Length == 0 && (f.UnixFileMode & UnixFileMode.UserExecute) != 0)
            .Select(f => f.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

    public void Dispose() => _root.Delete(recursive: true);

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Fulcrum.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Fulcrum.slnx above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A started program with its output collected; killed on dispose if it still runs.</summary>
public sealed class ProgramRun : IDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly System.Text.StringBuilder _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Line)> _waits = [];

    private ProgramRun(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public static ProgramRun Start(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var run = new ProgramRun(new Process { StartInfo = start });
        run._process.OutputDataReceived += (_, e) => run.Received(e.Data);
        run._process.ErrorDataReceived += (_, e) => run.Received(e.Data);
        run._process.Start();
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
        return run;
    }

    /// <summary>The exit code, once the program exited and its output was read to the end.</summary>
    public int WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>The first output line that matches, whether it came already or comes within the limit.</summary>
    public async Task<string> LineAsync(Func<string, bool> match, TimeSpan limit)
    {
        var line = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_output.ToString().Split('\n').FirstOrDefault(match) is { } seen)
            {
                return seen;
            }

            _waits.Add((match, line));
        }

        try
        {
            return await line.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} printed no such line:\n{Output}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.Append(line).Append('\n');
            foreach (var wait in _waits.Where(w => w.Match(line)).ToList())
            {
                wait.Line.TrySetResult(line);
                _waits.Remove(wait);
            }
        }
    }
}
