using System.Diagnostics;

namespace Fulcrum.Lab.Network;

/// <summary>The <c>ip</c> command, bounded in time; a failure throws with what <c>ip</c> said.</summary>
public static class Ip
{
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {(await error).Trim()}");
        }

        return await output;
    }

    /// <summary>Like <see cref="RunAsync"/> for tear-down: a step that fails (already gone) does not stop the others.</summary>
    public static async Task TryAsync(params string[] arguments)
    {
        try
        {
            await RunAsync(arguments);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public static Task InAsync(string ns, params string[] arguments) => RunAsync(["-n", ns, .. arguments]);
}
