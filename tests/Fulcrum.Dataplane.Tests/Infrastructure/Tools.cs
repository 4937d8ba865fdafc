using System.Diagnostics;

namespace Fulcrum.Dataplane.Tests.Infrastructure;

public sealed record ToolResult(int ExitCode, string Output);

/// <summary>Runs the real data-plane binaries, bounded in time; the tests feed them every configuration rendered.</summary>
public static class Tools
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<ToolResult> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {Timeout.TotalSeconds} s.");
        }

        return new ToolResult(process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Writes the files into <paramref name="directory"/> as the agent would (secrets 0600).</summary>
    public static void Write(string directory, IEnumerable<RenderedFile> files)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
            if (file.Secret)
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }
}
