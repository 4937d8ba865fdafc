using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane.Keepalived;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Keepalived;

/// <summary>
/// Feeds a rendering to the real <c>keepalived --config-test</c>, in a network namespace of its own where the
/// node's interface exists (a bridge of that name), since keepalived refuses an interface it cannot find.
/// </summary>
/// <remarks>
/// The check needs real root. keepalived runs its scripts as root (<c>script_user root</c>) and, with
/// <c>enable_script_security</c>, refuses any script whose files root does not own; inside a user namespace
/// started by another user, root's files show as owned by the overflow uid, so every script looks unsafe.
/// </remarks>
public static class KeepalivedCheck
{
    private const string Script = "ip link add \"$1\" type bridge && exec keepalived --config-test -f \"$2\"";

    public static async Task<ToolResult> RunAsync(ClusterSnapshot snapshot, NodeFacts facts)
    {
        var directory = Directory.CreateTempSubdirectory("fulcrum-keepalived-");
        try
        {
            var files = KeepalivedRenderer.Render(snapshot, facts, directory.FullName);
            Tools.Write(directory.FullName, files);
            var node = snapshot.Nodes.Single(n => n.Id == facts.NodeId);
            var result = await Tools.RunAsync(
                "unshare", "--user", "--map-root-user", "--net", "--", "sh", "-c", Script, "sh",
                node.Interface, Path.Combine(directory.FullName, RenderedConfig.KeepalivedConfig));
            return Environment.IsPrivilegedProcess
                ? result
                : result with { Output = result.Output + "\n(not root: keepalived refuses root-run scripts it cannot prove safe; run the tests as root)" };
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public static async Task AssertAcceptsAsync(ClusterSnapshot snapshot, NodeFacts facts)
    {
        var result = await RunAsync(snapshot, facts);
        Assert.True(result.ExitCode == 0, $"keepalived --config-test refused the configuration (exit {result.ExitCode}):\n{result.Output}");
    }
}
