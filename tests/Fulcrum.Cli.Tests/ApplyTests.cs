using System.Text.Json;
using Fulcrum.Cli.Tests.Infrastructure;

namespace Fulcrum.Cli.Tests;

[Collection(CliServerCollection.Name)]
public sealed class ApplyTests(CliServer server) : IDisposable
{
    private readonly CliRunner _cli = new(server);

    [Fact]
    public async Task Apply_Example_CreatesTheTreeAndASecondApplyChangesNothing()
    {
        var (file, lb) = await ExampleAsync();

        var first = await _cli.SucceedsAsync("apply", "-f", file);

        Assert.Contains($"+ load balancer {lb}", first.Out, StringComparison.Ordinal);
        Assert.Contains($"+ backend {lb}/web/be1", first.Out, StringComparison.Ordinal);
        Assert.Contains($"+ backend {lb}/web/be2", first.Out, StringComparison.Ordinal);
        Assert.Contains($"+ listener {lb}/http", first.Out, StringComparison.Ordinal);
        var listeners = await _cli.SucceedsAsync("list", "listener", "--load-balancer", lb, "-o", "json");
        using (var json = JsonDocument.Parse(listeners.Out))
        {
            Assert.Equal("/", json.RootElement[0].GetProperty("healthCheck").GetProperty("http").GetProperty("path").GetString());
        }

        var second = await _cli.SucceedsAsync("apply", "-f", file);
        Assert.Equal("No changes.", second.Out.Trim());
    }

    [Fact]
    public async Task GetYaml_AppliedBack_NoChanges()
    {
        var (file, lb) = await ExampleAsync();
        await _cli.SucceedsAsync("apply", "-f", file);

        var yaml = await _cli.SucceedsAsync("get", "lb", lb, "-o", "yaml");

        Assert.Contains("loadBalancers:", yaml.Out, StringComparison.Ordinal);
        Assert.Contains("defaultBackendGroup: web", yaml.Out, StringComparison.Ordinal);
        var again = await _cli.RawAsync(
            ["apply", "-f", "-", "--server", server.Url, "--token", server.AdminToken, "--server-fingerprint", server.Fingerprint], yaml.Out);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("No changes.", again.Out.Trim());
    }

    [Fact]
    public async Task Apply_ChangedDocument_UpdatesAndDeletesToMatch()
    {
        var (file, lb) = await ExampleAsync();
        await _cli.SucceedsAsync("apply", "-f", file);
        var text = File.ReadAllText(file)
            .Replace("""
                          - name: be2
                            address: 198.18.100.11
                            port: 8080

                """, "", StringComparison.Ordinal)
            .Replace("intervalMs: 1000", "intervalMs: 2000", StringComparison.Ordinal);
        File.WriteAllText(file, text);

        var result = await _cli.SucceedsAsync("apply", "-f", file);

        Assert.Contains($"- backend {lb}/web/be2", result.Out, StringComparison.Ordinal);
        Assert.Contains($"~ listener {lb}/http (healthCheck.intervalMs: 1000 → 2000)", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(lb, (await _cli.SucceedsAsync("apply", "-f", file)).Out, StringComparison.Ordinal);
        using var group = JsonDocument.Parse((await _cli.SucceedsAsync("get", "lb", lb, "-o", "json")).Out);
        var groupBackends = group.RootElement.GetProperty("loadBalancers")[0].GetProperty("backendGroups")[0].GetProperty("backends");
        Assert.Equal(["be1"], groupBackends.EnumerateArray().Select(b => b.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Apply_DryRun_ShowsTheChangesAndWritesNothing()
    {
        var (file, lb) = await ExampleAsync();

        var dry = await _cli.SucceedsAsync("apply", "-f", file, "--dry-run");

        Assert.Contains($"+ load balancer {lb}", dry.Out, StringComparison.Ordinal);
        Assert.Contains("nothing written", dry.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, (await _cli.RunAsync("get", "lb", lb)).ExitCode);
    }

    [Fact]
    public async Task Apply_InvalidBackend_ValidationExitCodeNamingTheField()
    {
        var (file, _) = await ExampleAsync();
        File.WriteAllText(file, File.ReadAllText(file).Replace("198.18.100.11", "not-an-address", StringComparison.Ordinal));

        var result = await _cli.RunAsync("apply", "-f", file);

        Assert.Equal(ExitCodes.Validation, result.ExitCode);
        Assert.Contains("  address: ", result.Error, StringComparison.Ordinal);
    }

    /// <summary>examples/web.yaml, pointed at a fresh project and cluster and given a fresh name.</summary>
    private async Task<(string File, string LoadBalancer)> ExampleAsync()
    {
        var (project, cluster) = await Names.ProjectAndClusterAsync(_cli, vipSubnet: 60);
        var lb = Names.Fresh("web");
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "web.yaml"))
            .Replace("- name: web\n    project: lab\n    cluster: lab", $"- name: {lb}\n    project: {project}\n    cluster: {cluster}", StringComparison.Ordinal);
        Assert.Contains(lb, text, StringComparison.Ordinal);
        var file = Path.Combine(_cli.ConfigHome, "web.yaml");
        File.WriteAllText(file, text);
        return (file, lb);
    }

    public void Dispose() => _cli.Dispose();
}
