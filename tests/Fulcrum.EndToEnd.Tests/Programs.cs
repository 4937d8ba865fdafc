using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>The built programs the end-to-end tests run in the lab, next to this test assembly's configuration.</summary>
public static class Programs
{
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
    private static readonly string Root = FindRoot();

    public static string Lab => Path.Combine(Root, "src", "Fulcrum.Lab", "bin", Configuration, "net10.0", "fulcrum-lab.dll");

    public static string Agent => Path.Combine(Root, "src", "Fulcrum.Agent", "bin", Configuration, "net10.0", "fulcrum-agent.dll");

    public static string ServerDirectory => Path.Combine(Root, "src", "Fulcrum.Server", "bin", Configuration, "net10.0");

    public static string Server => Path.Combine(ServerDirectory, "fulcrum-server.dll");

    public static LabPrograms ForLab => new(Server, Agent, Lab);

    /// <summary>Where the browser tests save their screenshots (ignored by git; the README names it).</summary>
    public static string Screenshots => Path.Combine(Root, "artifacts", "screenshots");

    /// <summary>Waits until the process has printed <paramref name="text"/>; fails with its output if it exits or times out.</summary>
    public static async Task WaitForOutputAsync(LabProcess process, string text, TimeSpan? timeout = null)
    {
        await Eventually.TrueAsync(
            () => Task.FromResult(process.Output().Contains(text, StringComparison.Ordinal) || process.HasExited),
            timeout ?? TimeSpan.FromSeconds(30),
            () => $"{process.Name} never printed '{text}':\n{process.Output()}");
        Assert.False(process.HasExited, $"{process.Name} exited:\n{process.Output()}");
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Fulcrum.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Fulcrum.slnx) was not found.");
    }
}

/// <summary>Awaits a condition with a deadline — the lab's processes give no other signal than their effects.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail(failure());
            }

            await tick.WaitForNextTickAsync(CancellationToken.None);
        }
    }
}
