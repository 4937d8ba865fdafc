using System.Text.Json;
using Fulcrum.Cli.Tests.Infrastructure;

namespace Fulcrum.Cli.Tests;

[Collection(CliServerCollection.Name)]
public sealed class ResourceTests(CliServer server) : IDisposable
{
    private readonly CliRunner _cli = new(server);

    [Fact]
    public async Task CreateUpdateDelete_ByName_ChangesOnlyTheFlagsGiven()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);
        await _cli.SucceedsAsync("create", "backend-group", "--load-balancer", lb, "--name", "group");
        var group = Id(await _cli.SucceedsAsync("list", "backend-group", "--load-balancer", lb, "-o", "json"), 0);
        await _cli.SucceedsAsync("create", "backend", "--backend-group", group, "--name", "b1", "--address", "198.18.1.10", "--port", "8080", "--backup", "--admin-state", "drain");

        await _cli.SucceedsAsync("update", "backend", "b1", "--weight", "3");

        using var backend = JsonDocument.Parse((await _cli.SucceedsAsync("get", "backend", "b1", "-o", "json")).Out);
        Assert.Equal(3, backend.RootElement.GetProperty("weight").GetInt32());
        Assert.True(backend.RootElement.GetProperty("backup").GetBoolean());
        Assert.Equal("drain", backend.RootElement.GetProperty("adminState").GetString());
        var table = await _cli.SucceedsAsync("list", "backend", "--backend-group", group);
        Assert.Contains("b1", table.Out, StringComparison.Ordinal);
        Assert.Contains("198.18.1.10", table.Out, StringComparison.Ordinal);

        await _cli.SucceedsAsync("delete", "backend", "b1");

        var gone = await _cli.RunAsync("get", "backend", "b1");
        Assert.Equal(ExitCodes.NotFound, gone.ExitCode);
        Assert.Contains("b1", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidFields_RendersEveryFieldWithTheValidationExitCode()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);

        var result = await _cli.RunAsync("create", "listener", "--load-balancer", lb, "--name", "bad", "--protocol", "http", "--port", "70000", "--connect-timeout-ms", "-5");

        Assert.Equal(ExitCodes.Validation, result.ExitCode);
        Assert.Contains("  port: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("  timeouts.connectMs: ", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Get_NameOfTwoLoadBalancers_UsageErrorNamingTheIds()
    {
        var (first, cluster) = await Names.ProjectAndClusterAsync(_cli);
        var second = Names.Fresh("project");
        await _cli.SucceedsAsync("create", "project", "--name", second);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", first, "--cluster", cluster, "--name", lb);
        await _cli.SucceedsAsync("create", "lb", "--project", second, "--cluster", cluster, "--name", lb);

        var result = await _cli.RunAsync("get", "lb", lb);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"2 load balancers are named \"{lb}\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_GroupInUse_ConflictExitCode()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);
        await _cli.SucceedsAsync("create", "backend-group", "--load-balancer", lb, "--name", "used");
        var group = Id(await _cli.SucceedsAsync("list", "backend-group", "--load-balancer", lb, "-o", "json"), 0);
        await _cli.SucceedsAsync("create", "listener", "--load-balancer", lb, "--name", "http", "--protocol", "http", "--port", "80", "--default-backend-group", group);

        var result = await _cli.RunAsync("delete", "backend-group", group);

        Assert.Equal(ExitCodes.Conflict, result.ExitCode);
    }

    [Fact]
    public async Task CreateToken_ShowsTheSecretOnce()
    {
        var (project, _) = await Names.ProjectAndClusterAsync(_cli);
        var name = Names.Fresh("token");

        var created = await _cli.SucceedsAsync("create", "token", "--name", name, "--role", "viewer", "--project", project, "-o", "json");

        using var token = JsonDocument.Parse(created.Out);
        var secret = token.RootElement.GetProperty("secret").GetString()!;
        var list = await _cli.RawAsync(["list", "project", "--server", server.Url, "--token", secret, "--server-fingerprint", server.Fingerprint]);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.DoesNotContain(secret, (await _cli.SucceedsAsync("get", "token", name, "-o", "json")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_UnknownFlag_UsageExitCode()
    {
        var result = await _cli.RunAsync("create", "backend", "--no-such-flag");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    private static string Id(CliResult list, int index)
    {
        using var items = JsonDocument.Parse(list.Out);
        return items.RootElement[index].GetProperty("id").GetString()!;
    }

    public void Dispose() => _cli.Dispose();
}
