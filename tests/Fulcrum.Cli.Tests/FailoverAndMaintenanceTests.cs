using System.Text.Json.Nodes;
using Fulcrum.Cli.Tests.Infrastructure;

namespace Fulcrum.Cli.Tests;

[Collection(CliServerCollection.Name)]
public sealed class FailoverAndMaintenanceTests(CliServer server) : IDisposable
{
    private readonly CliRunner _cli = new(server);

    [Fact]
    public async Task Failover_ToANamedNode_SaysFromWhichToWhich_AndStatusShowsItUnderWay()
    {
        var (cluster, master, backup) = await TwoNodesAsync(subnet: 80);

        var result = await _cli.SucceedsAsync("cluster", "failover", cluster, "--to", backup);

        Assert.Contains($"cluster {cluster}: failing over from {master} to {backup}", result.Out, StringComparison.Ordinal);
        var status = await _cli.SucceedsAsync("status");
        var row = status.Out.Split('\n').Single(l => l.StartsWith(cluster, StringComparison.Ordinal));
        Assert.Contains($"{master} -> {backup}", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_OneUnderWay_PrintsTheApisReason_AndExitsWithConflict()
    {
        var (cluster, _, _) = await TwoNodesAsync(subnet: 81);
        await _cli.SucceedsAsync("cluster", "failover", cluster);

        var result = await _cli.RunAsync("cluster", "failover", cluster);

        Assert.Equal(ExitCodes.Conflict, result.ExitCode);
        Assert.Matches("^error: POST clusters/[^ ]+/failover: Conflict: A failover of cluster '[^']+' to node '[^']+' is under way; wait until it is done.", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Failover_ToANodeOfAnotherCluster_NotFound()
    {
        var (cluster, _, _) = await TwoNodesAsync(subnet: 82);
        var (_, elsewhere, _) = await TwoNodesAsync(subnet: 83);

        var result = await _cli.RunAsync("cluster", "failover", cluster, "--to", elsewhere);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains($"cluster {cluster} has no node named or with id \"{elsewhere}\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Maintenance_TheLastNodeThatCanHoldTheVips_RefusedWithTheApisReasonAndTheWayToForce()
    {
        var (_, clusterId) = await ClusterAsync(subnet: 84);
        var node = Names.Fresh("node");
        await Agents.JoinAsync(server, clusterId, node, "198.18.0.84", "MASTER");

        var result = await _cli.RunAsync("node", "maintenance", node, "on");

        Assert.Equal(ExitCodes.Conflict, result.ExitCode);
        Assert.Contains("is the last node of cluster", result.Error, StringComparison.Ordinal);
        Assert.Contains("run this again with --force", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(maintenance)", await NodeRowAsync(node), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Maintenance_Forced_ThenOff_StatusShowsItOnlyWhileInMaintenance()
    {
        var (_, clusterId) = await ClusterAsync(subnet: 85);
        var node = Names.Fresh("node");
        await Agents.JoinAsync(server, clusterId, node, "198.18.0.85", "MASTER");

        var on = await _cli.SucceedsAsync("node", "maintenance", node, "on", "--force");

        Assert.Contains($"node {node} is in maintenance", on.Out, StringComparison.Ordinal);
        Assert.Contains("MASTER (maintenance)", await NodeRowAsync(node), StringComparison.Ordinal);
        var off = await _cli.SucceedsAsync("node", "maintenance", node, "off", "-o", "json");
        Assert.False((bool)JsonNode.Parse(off.Out)!["maintenance"]!);
        Assert.DoesNotContain("(maintenance)", await NodeRowAsync(node), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Maintenance_OffWithForce_UsageError()
    {
        var result = await _cli.RunAsync("node", "maintenance", "any-node", "off", "--force");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--force goes with on only", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();

    private async Task<(string Name, string Id)> ClusterAsync(int subnet)
    {
        var (_, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: subnet);
        var id = (string)JsonNode.Parse((await _cli.SucceedsAsync("get", "cluster", cluster, "-o", "json")).Out)!["id"]!;
        return (cluster, id);
    }

    /// <summary>A cluster with an online MASTER and an online BACKUP; returns the names.</summary>
    private async Task<(string Cluster, string Master, string Backup)> TwoNodesAsync(int subnet)
    {
        var (cluster, id) = await ClusterAsync(subnet);
        var master = Names.Fresh("master");
        var backup = Names.Fresh("backup");
        await Agents.JoinAsync(server, id, master, $"198.18.{subnet}.1", "MASTER");
        await Agents.JoinAsync(server, id, backup, $"198.18.{subnet}.2", "BACKUP");
        return (cluster, master, backup);
    }

    private async Task<string> NodeRowAsync(string node) =>
        (await _cli.SucceedsAsync("status")).Out.Split('\n').Single(l => l.StartsWith(node, StringComparison.Ordinal));
}
