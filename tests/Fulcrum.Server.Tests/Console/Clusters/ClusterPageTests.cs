using System.Security.Claims;
using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Console.Clusters;
using Fulcrum.Server.Console.Shell;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Fulcrum.Server.Tests.Console.Clusters;

/// <summary>The cluster page on the real operations, as an admin: what the operator does there reaches the API's state.</summary>
public sealed class ClusterPageTests : ConsoleTestContext, IClassFixture<FulcrumFactory>
{
    private readonly FulcrumFactory _factory;
    private readonly ApiClient _admin;
    private readonly List<TestAgent> _agents = [];

    public ClusterPageTests(FulcrumFactory factory)
    {
        _factory = factory;
        _admin = factory.Admin();
        Services.AddSingleton<AuthenticationStateProvider>(new AdminAuthentication());
        Services.AddSingleton(new ProtectedLocalStorage(JSInterop.JSRuntime, factory.Services.GetRequiredService<IDataProtectionProvider>()));
        Services.AddSingleton<ConsoleSession>();
        Services.AddSingleton(factory.Services.GetRequiredService<ClusterEvents>());
        Services.AddSingleton(sp => new ConsoleOperations(factory.Services.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<ConsoleSession>()));
        Render<MudPopoverProvider>();
    }

    private Seed Seed => new(_admin);

    // Find and click in one turn of the renderer: the page re-renders on its own reloads.
    private static Task ClickAsync(IRenderedComponent<ClusterPage> page, string selector) =>
        page.InvokeAsync(() => page.Find(selector).Click());

    private static Task ClickAsync(IRenderedComponent<ClusterPage> page, string within, string text) =>
        page.InvokeAsync(() => page.Find(within).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == text).Click());

    [Fact]
    public async Task Maintenance_OfTheOnlyNode_ShowsTheApisRefusal_ThenForcedPutsItInMaintenance()
    {
        var cluster = await Seed.ClusterAsync();
        var node = await NodeAsync(cluster, "198.18.90.1", VrrpState.Master);
        var page = Render<ClusterPage>(p => p.Add(c => c.Id, cluster.Id));
        var row = $"[data-testid='node-{node.Name}']";
        page.WaitForElement(row);

        await ClickAsync(page, $"button[aria-label='Put {node.Name} in maintenance']");

        page.WaitForAssertion(() => Assert.Contains(
            $"Not possible now: Node '{node.Id}' is the last node of cluster '{cluster.Id}' that can hold its VIPs", page.Find($"{row} [data-testid='maintenance-refused']").TextContent, StringComparison.Ordinal));
        Assert.False((await _admin.GetAsync<NodeResponse>($"nodes/{node.Id}")).Maintenance);
        await ClickAsync(page, row, "Force maintenance");
        page.WaitForAssertion(() => Assert.Equal("maintenance", page.Find($"{row} [data-testid='maintenance']").TextContent.Trim()));
        Assert.True((await _admin.GetAsync<NodeResponse>($"nodes/{node.Id}")).Maintenance);
    }

    [Fact]
    public async Task FailOver_Confirmed_StartsItOnTheServer_AndShowsItUnderWay()
    {
        var cluster = await Seed.ClusterAsync();
        var master = await NodeAsync(cluster, "198.18.91.1", VrrpState.Master);
        var backup = await NodeAsync(cluster, "198.18.91.2", VrrpState.Backup);
        var page = Render<ClusterPage>(p => p.Add(c => c.Id, cluster.Id));
        page.WaitForElement($"[data-testid='node-{master.Name}']");

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Fail over").Click());
        await ClickAsync(page, "[data-testid='failover-confirmation']", "Fail over now");

        page.WaitForAssertion(() => Assert.Equal(
            $"Failing over from {master.Name} to {backup.Name}", page.Find("[data-testid='failover-under-way']").TextContent.Trim()));
        var failover = (await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}")).Failover;
        Assert.Equal((master.Id, backup.Id), (failover?.FromNodeId, failover?.TargetNodeId));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }

        _admin.Dispose();
        await base.DisposeAsyncCore();
    }

    private async Task<NodeResponse> NodeAsync(ClusterResponse cluster, string address, VrrpState state)
    {
        var agent = await TestAgent.JoinAsync(_factory, _admin, cluster.Id, address);
        _agents.Add(agent);
        await agent.ReportAsync(TestAgent.Report(cluster.Revision, state));
        return await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}");
    }

    private sealed class AdminAuthentication : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "tok-console-test"), new Claim(Caller.RoleClaim, nameof(Role.Admin))], "test"))));
    }
}
