namespace Fulcrum.Cli.Tests.Infrastructure;

/// <summary>Fresh names and VRRP router ids: the test classes share one server.</summary>
public static class Names
{
    private static int s_routerId;

    public static string Fresh(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static string RouterId() => ((Interlocked.Increment(ref s_routerId) % 255) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A project and a cluster with a VIP pool, made with the CLI; returns their names.</summary>
    public static async Task<(string Project, string Cluster)> ProjectAndClusterAsync(CliRunner cli, int vipSubnet = 50)
    {
        var project = Fresh("project");
        var cluster = Fresh("cluster");
        await cli.SucceedsAsync("create", "project", "--name", project);
        await cli.SucceedsAsync("create", "cluster", "--name", cluster, "--virtual-router-id", RouterId(), "--vip-pool", $"198.19.{vipSubnet}.0/24");
        return (project, cluster);
    }
}
