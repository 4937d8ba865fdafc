using System.Text.Json.Nodes;
using Fulcrum.Cli.Tests.Infrastructure;

namespace Fulcrum.Cli.Tests;

[Collection(CliServerCollection.Name)]
public sealed class StatusTests(CliServer server) : IDisposable
{
    private readonly CliRunner _cli = new(server);

    [Fact]
    public async Task Status_ShowsClustersAndLoadBalancersWithTheirStatus()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 70);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);

        var status = await _cli.SucceedsAsync("status");

        Assert.Contains("CLUSTER", status.Out, StringComparison.Ordinal);
        Assert.Contains("NODE", status.Out, StringComparison.Ordinal);
        var row = status.Out.Split('\n').Single(l => l.StartsWith(lb, StringComparison.Ordinal));
        Assert.Contains(cluster, row, StringComparison.Ordinal);
        Assert.Contains("198.19.70.", row, StringComparison.Ordinal);
    }

    /// <summary>A node whose reload timed out says so, and that it tries again, apart from a refused revision.</summary>
    [Fact]
    public async Task Status_ANodeRetryingItsApply_SaysItIsRetryingWhy()
    {
        var (_, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 73);
        var clusterId = (string)JsonNode.Parse((await _cli.SucceedsAsync("get", "cluster", cluster, "-o", "json")).Out)!["id"]!;
        await Agents.JoinAsync(server, clusterId, "retrying-node", "198.18.0.73", "BACKUP", "haproxy did not confirm the reload within 10 s", lastErrorRetried: true);

        var status = await _cli.SucceedsAsync("status");

        var row = status.Out.Split('\n').Single(l => l.StartsWith("retrying-node", StringComparison.Ordinal));
        Assert.Contains("retrying: haproxy did not confirm the reload within 10 s", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_ConditionNotReached_TimeoutExitCode()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 71);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);

        var result = await _cli.RunAsync("wait", "lb", lb, "--for", "deleted", "--timeout", "300ms");

        Assert.Equal(ExitCodes.Timeout, result.ExitCode);
        Assert.Contains("did not become deleted", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_Deleted_SucceedsOnceGone()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 72);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);
        await _cli.SucceedsAsync("delete", "lb", lb);

        var result = await _cli.SucceedsAsync("wait", "lb", lb, "--for", "deleted", "--timeout", "5s");

        Assert.Contains("deleted", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_Bash_UsesTheSuggestDirective()
    {
        var result = await _cli.RawAsync(["completion", "bash"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("complete -F _fulcrum_complete fulcrum", result.Out, StringComparison.Ordinal);
        var suggestions = await _cli.RawAsync(["[suggest:5]", "list "]);
        Assert.Contains("backend-group", suggestions.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
