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
    public async Task CreateRule_ConditionsHeaderChangesAndAFixedResponse_FromFlags()
    {
        var (group, listener) = await HttpListenerAsync();

        await _cli.SucceedsAsync(
            "create", "rule", "--listener", listener, "--name", "canary", "--action", "forward", "--backend-group", group,
            "--when", "header:X-Env=canary", "--when", "!path^=/public/", "--when", "query:id~=^[0-9]+$",
            "--request-header", "set:X-Edge=fulcrum edge", "--response-header", "remove:Server");
        await _cli.SucceedsAsync(
            "create", "rule", "--listener", listener, "--name", "down", "--path", "/status", "--action", "fixedResponse",
            "--fixed-status", "503", "--fixed-content-type", "application/json", "--fixed-body", "{}");

        using var canary = JsonDocument.Parse((await _cli.SucceedsAsync("get", "rule", "canary", "-o", "json")).Out);
        Assert.Equal(
            ["header X-Env exact canary False", "path  prefix /public/ True", "query id regex ^[0-9]+$ False"],
            canary.RootElement.GetProperty("match").GetProperty("conditions").EnumerateArray()
                .Select(c => $"{c.GetProperty("type")} {(c.TryGetProperty("name", out var n) ? n.GetString() : "")} {c.GetProperty("match")} {c.GetProperty("value")} {c.GetProperty("invert").GetBoolean()}"));
        var action = canary.RootElement.GetProperty("action");
        Assert.Equal("fulcrum edge", action.GetProperty("requestHeaders")[0].GetProperty("value").GetString());
        Assert.Equal(("remove", "Server"), (action.GetProperty("responseHeaders")[0].GetProperty("op").GetString(), action.GetProperty("responseHeaders")[0].GetProperty("name").GetString()));
        using var down = JsonDocument.Parse((await _cli.SucceedsAsync("get", "rule", "down", "-o", "json")).Out);
        var fixedResponse = down.RootElement.GetProperty("action").GetProperty("fixedResponse");
        Assert.Equal((503, "application/json", "{}"), (fixedResponse.GetProperty("statusCode").GetInt32(), fixedResponse.GetProperty("contentType").GetString(), fixedResponse.GetProperty("body").GetString()));
    }

    [Fact]
    public async Task CreateRule_AConditionOrHeaderChangeWithoutItsShape_IsAUsageError_AndSendsNothing()
    {
        var (_, listener) = await HttpListenerAsync();

        var condition = await _cli.RunAsync("create", "rule", "--listener", listener, "--name", "r", "--when", "header", "--action", "reject");
        var header = await _cli.RunAsync("create", "rule", "--listener", listener, "--name", "r", "--response-header", "remove:X-A=1", "--action", "reject");

        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (condition.ExitCode, header.ExitCode));
        Assert.Contains("--when header: expected [!]TYPE[:NAME]OP VALUE", condition.Error, StringComparison.Ordinal);
        Assert.Contains("--response-header remove:X-A=1: expected", header.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await _cli.SucceedsAsync("list", "rule", "--listener", listener, "-o", "json")).Out.Trim());
    }

    /// <summary>A new load balancer's backend group and its http listener on port 80, by id.</summary>
    private async Task<(string Group, string Listener)> HttpListenerAsync()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli);
        var lb = Names.Fresh("lb");
        await _cli.SucceedsAsync("create", "lb", "--project", project, "--cluster", cluster, "--name", lb);
        await _cli.SucceedsAsync("create", "backend-group", "--load-balancer", lb, "--name", "web");
        var group = Id(await _cli.SucceedsAsync("list", "backend-group", "--load-balancer", lb, "-o", "json"), 0);
        await _cli.SucceedsAsync("create", "listener", "--load-balancer", lb, "--name", "http", "--protocol", "http", "--port", "80", "--default-backend-group", group);
        return (group, Id(await _cli.SucceedsAsync("list", "listener", "--load-balancer", lb, "-o", "json"), 0));
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
