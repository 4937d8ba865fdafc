using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>The built programs the end-to-end tests run in the lab, next to this test assembly's configuration.</summary>
public static class Programs
{
    private static readonly string Root = LabPrograms.Repository();

    public static LabPrograms ForLab { get; } = LabPrograms.Built(Root, LabPrograms.Configuration());

    public static string Lab => ForLab.Lab;

    public static string Agent => ForLab.Agent;

    public static string ServerDirectory => Path.GetDirectoryName(ForLab.Server)!;

    public static string Server => ForLab.Server;

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
}
