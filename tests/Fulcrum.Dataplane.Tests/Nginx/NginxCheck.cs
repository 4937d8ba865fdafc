using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane.Nginx;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Nginx;

/// <summary>
/// Feeds a rendering to the real <c>nginx -t</c>. The test binds every listener, so it runs in a network namespace of
/// its own with non-local binds allowed, as on a node that does not hold the VIPs; a user namespace around it lets
/// this work without root. The pid file goes to a temporary runtime directory.
/// </summary>
public static class NginxCheck
{
    private const string Script =
        "sysctl -q -w net.ipv4.ip_nonlocal_bind=1 net.ipv6.ip_nonlocal_bind=1 && exec nginx -t -c \"$1\" -p \"$2\" -g 'daemon off;'";

    public static async Task<ToolResult> RunAsync(ClusterSnapshot snapshot, NodeFacts facts, IReadOnlySet<string> downBackendIds)
    {
        var directory = Directory.CreateTempSubdirectory("fulcrum-nginx-");
        try
        {
            var runtime = Directory.CreateDirectory(Path.Combine(directory.FullName, "run")).FullName;
            var files = NginxRenderer.Render(snapshot, facts with { Runtime = runtime }, directory.FullName, downBackendIds);
            Tools.Write(directory.FullName, files);
            return await Tools.RunAsync(
                "unshare", "--user", "--map-root-user", "--net", "--", "sh", "-c", Script, "sh",
                Path.Combine(directory.FullName, RenderedConfig.NginxConfig), directory.FullName + "/");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public static async Task AssertAcceptsAsync(ClusterSnapshot snapshot, NodeFacts facts, IReadOnlySet<string> downBackendIds)
    {
        var result = await RunAsync(snapshot, facts, downBackendIds);
        Assert.True(result.ExitCode == 0, $"nginx -t refused the configuration (exit {result.ExitCode}):\n{result.Output}");
    }
}
