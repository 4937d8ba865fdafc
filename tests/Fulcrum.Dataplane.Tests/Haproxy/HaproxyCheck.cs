using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane.Haproxy;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Haproxy;

/// <summary>Renders a snapshot into a real generation directory and has haproxy itself check the result.</summary>
public static class HaproxyCheck
{
    public static async Task<ToolResult> RenderAndCheckAsync(ClusterSnapshot snapshot)
    {
        var directory = Directory.CreateTempSubdirectory("fulcrum-haproxy-");
        try
        {
            Tools.Write(directory.FullName, HaproxyRenderer.Render(snapshot, Golden.Facts, directory.FullName));
            return await CheckAsync(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary><c>haproxy -c</c> parses everything and loads certificates and ACL files, but binds nothing.</summary>
    public static Task<ToolResult> CheckAsync(string directory) =>
        Tools.RunAsync("haproxy", "-c", "-f", Path.Combine(directory, "haproxy", "haproxy.cfg"));
}
