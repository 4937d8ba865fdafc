using Fulcrum.Cli;
using Fulcrum.Core.Api;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>The README's CLI walk-through in a lab: examples/web.yaml applied with <c>fulcrum</c>, then served through its VIP.</summary>
public sealed class CliApplyTests(CliApplyTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<CliApplyTests.Fixture>
{
    [Fact]
    public Task Apply_ExampleDocument_ServedThroughItsVip() => fixture.RunAsync(output, async lab =>
    {
        var home = Directory.CreateTempSubdirectory("fulcrum-cli-lab-").FullName;
        try
        {
            // The example is written for the demo lab (subnet 100); this lab has the same backends on its own subnet.
            var document = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "web.yaml"))
                .Replace("198.18.100.", lab.Network.Address(0)[..^1], StringComparison.Ordinal);
            var login = await RunAsync(home, ["login", "--server", lab.ServerUrl.ToString(), "--token", lab.AdminToken, "--server-fingerprint", lab.ServerFingerprint]);
            Assert.True(login.Exit == 0, login.Error);

            var applied = await RunAsync(home, ["apply", "-f", "-"], document);
            var waited = await RunAsync(home, ["wait", "lb", "web", "--for", "active", "--timeout", "60s"]);
            var again = await RunAsync(home, ["apply", "-f", "-"], document);

            Assert.True(applied.Exit == 0, applied.Error);
            Assert.Contains("+ listener web/http", applied.Out, StringComparison.Ordinal);
            Assert.True(waited.Exit == 0, waited.Error);
            Assert.Equal("No changes.", again.Out.Trim());
            var lb = (await lab.GetAsync<Page<LoadBalancerResponse>>("load-balancers")).Items.Single(l => l.Name == "web");
            using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
            await Traffic.WaitUntilServingAsync(lab, lb, http, $"http://{lb.Vip}/");
            var served = await Traffic.ServedByAsync(http, $"http://{lb.Vip}/", 4);
            Assert.Equal(["be1", "be2"], served.Distinct().Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    });

    private static async Task<(int Exit, string Out, string Error)> RunAsync(string home, string[] args, string input = "")
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            In = new StringReader(input),
            Variable = name => name == "XDG_CONFIG_HOME" ? home : null,
        });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public sealed class Fixture() : LabFixture(subnet: 247);
}
