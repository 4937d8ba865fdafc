using System.Net;
using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Server.Console.LoadBalancers;
using Fulcrum.Server.Tests.Infrastructure;
using MudBlazor;

namespace Fulcrum.Server.Tests.Console.LoadBalancers;

/// <summary>The listener form of a load balancer's page, on the real operations: what the operator sets becomes the listener, and nothing else of it changes.</summary>
public sealed class ListenerFormTests(FulcrumFactory factory) : RealOperationsTestContext(factory), IClassFixture<FulcrumFactory>
{
    private int _closed;

    private IRenderedComponent<ListenerForm> Form(Tree tree, string? listenerId = null, int rules = 0) => Render<ListenerForm>(p => p
        .Add(f => f.LoadBalancerId, tree.LoadBalancer.Id)
        .Add(f => f.ProjectId, tree.LoadBalancer.ProjectId)
        .Add(f => f.ListenerId, listenerId)
        .Add(f => f.Groups, new Dictionary<string, string> { [tree.Group.Id] = tree.Group.Name })
        .Add(f => f.Rules, rules)
        .Add(f => f.OnClose, () => _closed++));

    [Fact]
    public async Task Edit_ABadPortThenATakenOne_AreRefusedWhereTheySay_ThenSaved_KeepsWhatTheFormDoesNotShow()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.62.1");
        var api = await Admin.CreateAsync<ListenerResponse>("listeners", new
        {
            loadBalancerId = tree.LoadBalancer.Id,
            name = "api",
            description = "the shop's API",
            protocol = "http",
            port = 8080,
            defaultBackendGroupId = tree.Group.Id,
            healthCheck = new { type = "http", http = new { method = "HEAD", path = "/health", host = "api.example" } },
            stickySession = new { type = "cookieInsert", cookieName = "SHOP_BACKEND" },
        });
        var form = Form(tree, api.Id);
        form.WaitForElement("[data-field='port']");

        await ChangeAsync(form, "port", "0");
        await ClickAsync(form, "Save listener");
        form.WaitForAssertion(() => Assert.Contains("between 1 and 65535", ErrorNextTo(form, "port"), StringComparison.Ordinal));
        await ChangeAsync(form, "port", "80");
        await ClickAsync(form, "Save listener");
        form.WaitForAssertion(() => Assert.Contains("is taken by another listener", form.Find("[data-failure]").TextContent, StringComparison.Ordinal));
        Assert.Equal(8080, (await Admin.GetAsync<ListenerResponse>($"listeners/{api.Id}")).Port);

        await ChangeAsync(form, "port", "8081");
        await ChangeAsync(form, "connectionLimit", "500");
        await form.InvokeAsync(() => form.Find("input[data-field='accessLog']").Change(true));
        await ClickAsync(form, "Save listener");

        form.WaitForAssertion(() => Assert.Equal(1, _closed));
        var saved = await Admin.GetAsync<ListenerResponse>($"listeners/{api.Id}");
        Assert.Equal((8081, 500, true), (saved.Port, saved.ConnectionLimit, saved.AccessLog));
        Assert.Equal(("the shop's API", "HEAD", "api.example", "/health"), (saved.Description, saved.HealthCheck!.Http!.Method, saved.HealthCheck.Http.Host, saved.HealthCheck.Http.Path));
        Assert.Equal("SHOP_BACKEND", saved.StickySession!.CookieName);
    }

    [Fact]
    public async Task Add_ATcpListenerWithoutAHealthCheck_IsTheLoadBalancersNewListener()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.62.2");
        var form = Form(tree);
        form.WaitForElement("[data-field='port']");

        await ChangeAsync(form, "name", "postgres");
        await form.InvokeAsync(() => form.FindComponent<MudSelect<ListenerProtocol>>().Instance.ValueChanged.InvokeAsync(ListenerProtocol.Tcp));
        await ChangeAsync(form, "port", "5432");
        await form.InvokeAsync(() => form.FindComponent<MudSelect<HealthCheckType?>>().Instance.ValueChanged.InvokeAsync(null));
        await ClickAsync(form, "Add listener");

        form.WaitForAssertion(() => Assert.Equal(1, _closed));
        var listeners = (await Admin.GetAsync<Page<ListenerResponse>>($"listeners?loadBalancerId={tree.LoadBalancer.Id}")).Items;
        var added = Assert.Single(listeners, l => l.Name == "postgres");
        Assert.Equal((ListenerProtocol.Tcp, 5432, tree.Group.Id, (HealthCheckSpec?)null), (added.Protocol, added.Port, added.DefaultBackendGroupId, added.HealthCheck));
    }

    [Fact]
    public async Task Delete_SaysItsRulesGoWithIt_AndOnceConfirmedTheListenerAndItsRulesAreGone()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.62.3");
        await Admin.CreateAsync<RuleResponse>("rules", new
        {
            listenerId = tree.Listener.Id,
            name = "static",
            position = 1,
            match = new { path = "/static" },
            action = new { type = "forward", backendGroupId = tree.Group.Id },
        });
        var form = Form(tree, tree.Listener.Id, rules: 1);
        form.WaitForElement("[data-field='port']");

        await ClickAsync(form, "Delete");
        Assert.Contains("Traffic to port 80 of the VIP stops, and its rule goes with it.", form.Find("[data-delete-confirmation]").TextContent, StringComparison.Ordinal);
        await ClickAsync(form, "Delete listener");

        form.WaitForAssertion(() => Assert.Equal(1, _closed));
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"listeners/{tree.Listener.Id}")).StatusCode);
        Assert.Empty((await Admin.GetAsync<Page<RuleResponse>>($"rules?listenerId={tree.Listener.Id}")).Items);
    }

    // Find and act in one turn of the renderer: a field's change re-renders the form asynchronously.
    private static Task ChangeAsync(IRenderedComponent<ListenerForm> form, string field, string value) =>
        form.InvokeAsync(() => form.Find($"[data-field='{field}']").Change(value));

    private static Task ClickAsync(IRenderedComponent<ListenerForm> form, string text) =>
        form.InvokeAsync(() => form.FindAll("button").Single(b => b.TextContent.Trim() == text).Click());

    private static string? ErrorNextTo(IRenderedComponent<ListenerForm> form, string field) =>
        form.Find($"[data-field='{field}']").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();
}
