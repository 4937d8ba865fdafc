using System.Text.Json;
using Fulcrum.Cli.Tests.Infrastructure;

namespace Fulcrum.Cli.Tests;

[Collection(CliServerCollection.Name)]
public sealed class AuditTests(CliServer server) : IDisposable
{
    private readonly CliRunner _cli = new(server);

    [Fact]
    public async Task AuditList_ByResourceId_ShowsWhoChangedWhichFieldsNewestFirst()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 90);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);
        var id = await LoadBalancerIdAsync(project, lb);
        await _cli.SucceedsAsync("update", "lb", lb, "--description", "shop front");

        var table = await _cli.SucceedsAsync("audit", "list", "--resource-id", id, "--since", "1h");
        var json = await _cli.SucceedsAsync("audit", "list", "--resource-id", id, "-o", "json");

        var rows = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("TIME", rows[0], StringComparison.Ordinal);
        Assert.Equal(3, rows.Length);
        Assert.Contains("update", rows[1], StringComparison.Ordinal);
        Assert.Contains("description=shop front", rows[1], StringComparison.Ordinal);
        Assert.Contains("create", rows[2], StringComparison.Ordinal);
        Assert.Contains("success", rows[2], StringComparison.Ordinal);
        using var events = JsonDocument.Parse(json.Out);
        Assert.Equal(["update", "create"], events.RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.All(events.RootElement.EnumerateArray(), e => Assert.Equal("admin", e.GetProperty("actor").GetProperty("role").GetString()));
    }

    [Fact]
    public async Task AuditList_ARefusedWrite_ShowsItsStatusAndTitle()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 91);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);
        await _cli.SucceedsAsync("create", "backend-group", "--load-balancer", lb, "--name", Names.Fresh("group"));
        var id = await LoadBalancerIdAsync(project, lb);
        Assert.Equal(ExitCodes.Conflict, (await _cli.RunAsync("delete", "lb", lb)).ExitCode);

        var table = await _cli.SucceedsAsync("audit", "list", "--resource-id", id, "--resource-type", "load-balancer", "--project", project);

        var refused = table.Out.Split('\n')[1];
        Assert.Contains("delete", refused, StringComparison.Ordinal);
        Assert.Contains("refused 409 Conflict", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditList_BadSinceOrType_IsAUsageOrValidationError()
    {
        var since = await _cli.RunAsync("audit", "list", "--since", "yesterday");
        var type = await _cli.RunAsync("audit", "list", "--resource-type", "lb");
        var future = await _cli.SucceedsAsync("audit", "list", "--since", "2999-01-01T00:00:00Z", "-o", "json");

        Assert.Equal(ExitCodes.Usage, since.ExitCode);
        Assert.Contains("--since", since.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Validation, type.ExitCode);
        Assert.Contains("resourceType", type.Error, StringComparison.Ordinal);
        Assert.Equal("[]", future.Out.Trim());
    }

    [Fact]
    public async Task StatusLb_ShowsTheTreeOfListenersGroupsAndBackends()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 92);
        var (lb, group) = (Names.Fresh("lb"), Names.Fresh("group"));
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);
        await _cli.SucceedsAsync("create", "backend-group", "--load-balancer", lb, "--name", group);
        await _cli.SucceedsAsync("create", "backend", "--backend-group", group, "--name", "web-1", "--address", "198.18.1.10", "--port", "8080");
        await _cli.SucceedsAsync("create", "listener", "--load-balancer", lb, "--name", "http", "--protocol", "http", "--port", "80", "--default-backend-group", group);

        var tree = await _cli.SucceedsAsync("status", "lb", lb);
        var json = await _cli.SucceedsAsync("status", "lb", lb, "-o", "json");
        var missing = await _cli.RunAsync("status", "lb", Names.Fresh("nothing"));

        var lines = tree.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"load balancer {lb} ", lines[0], StringComparison.Ordinal);
        Assert.Contains("PENDING OFFLINE", lines[0], StringComparison.Ordinal);
        Assert.Contains("listener http", lines[1], StringComparison.Ordinal);
        Assert.Contains("http:80", lines[1], StringComparison.Ordinal);
        Assert.Contains($"backend group {group}", lines[2], StringComparison.Ordinal);
        Assert.Contains("backend web-1", lines[3], StringComparison.Ordinal);
        Assert.Contains("198.18.1.10:8080  enabled  health UNKNOWN", lines[3], StringComparison.Ordinal);
        Assert.True(lines[3].IndexOf("backend", StringComparison.Ordinal) > lines[2].IndexOf("backend", StringComparison.Ordinal));
        using var status = JsonDocument.Parse(json.Out);
        var backend = status.RootElement.GetProperty("listeners")[0].GetProperty("backendGroups")[0].GetProperty("backends")[0];
        Assert.Equal("web-1", backend.GetProperty("name").GetString());
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
    }

    private async Task<string> LoadBalancerIdAsync(string project, string name)
    {
        using var json = JsonDocument.Parse((await _cli.SucceedsAsync("list", "lb", "--project", project, "-o", "json")).Out);
        return json.RootElement.EnumerateArray().Single(lb => lb.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }

    public void Dispose() => _cli.Dispose();
}
