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
