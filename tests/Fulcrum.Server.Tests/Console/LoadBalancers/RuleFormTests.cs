using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Server.Console.LoadBalancers;
using Fulcrum.Server.Tests.Infrastructure;
using MudBlazor;

namespace Fulcrum.Server.Tests.Console.LoadBalancers;

/// <summary>The rule form on the real operations: what the operator enters becomes the listener's rule, and what the API refuses shows beside its field.</summary>
public sealed class RuleFormTests(FulcrumFactory factory) : RealOperationsTestContext(factory), IClassFixture<FulcrumFactory>
{
    private int _closed;

    private IRenderedComponent<RuleForm> Form(Tree tree, string? ruleId = null) => Render<RuleForm>(p => p
        .Add(f => f.ListenerId, tree.Listener.Id)
        .Add(f => f.RuleId, ruleId)
        .Add(f => f.Groups, new Dictionary<string, string> { [tree.Group.Id] = tree.Group.Name })
        .Add(f => f.OnClose, () => _closed++));

    [Fact]
    public async Task Add_AConditionTheApiRefuses_ShowsItsRuleBesideIt_AndCreatesNothing_ThenCorrectedItIsTheListenersRule()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.61.1");
        var form = Form(tree);
        await ChangeAsync(form, "name", "canary");
        await ClickAsync(form, "Add condition");
        await ChangeAsync(form, "match.conditions[0].name", "X-Env");
        await ChangeAsync(form, "match.conditions[0].value", "say \"hi\"");
        await form.InvokeAsync(() => form.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync(tree.Group.Id));
        await form.InvokeAsync(() => form.Find("[aria-label='Add a header change to Response headers to the client']").Click());
        await ChangeAsync(form, "action.responseHeaders[0].name", "Content-Security-Policy");
        await ChangeAsync(form, "action.responseHeaders[0].value", "default-src 'self'");

        await ClickAsync(form, "Add rule");

        form.WaitForAssertion(() => Assert.Contains("without control characters, quotes", ErrorNextTo(form, "match.conditions[0].value"), StringComparison.Ordinal));
        Assert.Empty((await Admin.GetAsync<Page<RuleResponse>>($"rules?listenerId={tree.Listener.Id}")).Items);
        await ChangeAsync(form, "match.conditions[0].value", "canary");
        await ClickAsync(form, "Add rule");

        form.WaitForAssertion(() => Assert.Equal(1, _closed));
        var rule = Assert.Single((await Admin.GetAsync<Page<RuleResponse>>($"rules?listenerId={tree.Listener.Id}")).Items);
        Assert.Equal([new RuleCondition(ConditionType.Header, "X-Env", ValueMatch.Exact, "canary", false)], rule.Match.Conditions!);
        Assert.Equal((RuleActionType.Forward, tree.Group.Id), (rule.Action.Type!.Value, rule.Action.BackendGroupId));
        Assert.Equal([new HeaderChange(HeaderOperation.Set, "Content-Security-Policy", "default-src 'self'")], rule.Action.ResponseHeaders!);
    }

    [Fact]
    public async Task Edit_AFixedResponsesBody_ChangesOnlyThat_AndAConditionRemovedIsGone()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.61.2");
        var created = await Admin.CreateAsync<RuleResponse>("rules", new
        {
            listenerId = tree.Listener.Id,
            name = "down",
            position = 5,
            match = new
            {
                path = "/status",
                conditions = new object[] { new { type = "method", value = "GET" }, new { type = "source", value = "10.0.0.0/8", invert = true } },
            },
            action = new { type = "fixedResponse", fixedResponse = new { statusCode = 503, contentType = "application/json", body = "{}" } },
        });
        var form = Form(tree, created.Id);
        form.WaitForElement("[data-field='action.fixedResponse.body']");

        await ChangeAsync(form, "action.fixedResponse.body", """{"status": "down"}""");
        await form.InvokeAsync(() => form.Find("[aria-label='Remove condition 1']").Click());
        await ClickAsync(form, "Save rule");

        form.WaitForAssertion(() => Assert.Equal(1, _closed));
        var saved = await Admin.GetAsync<RuleResponse>($"rules/{created.Id}");
        Assert.Equal(new FixedResponseSpec(503, "application/json", """{"status": "down"}"""), saved.Action.FixedResponse);
        Assert.Equal([new RuleCondition(ConditionType.Source, null, ValueMatch.Exact, "10.0.0.0/8", true)], saved.Match.Conditions!);
        Assert.Equal(("down", 5, "/status"), (saved.Name, saved.Position, saved.Match.Path));
    }

    // Find and act in one turn of the renderer: a field's change re-renders the form asynchronously.
    private static Task ChangeAsync(IRenderedComponent<RuleForm> form, string field, string value) =>
        form.InvokeAsync(() => form.Find($"[data-field='{field}']").Change(value));

    private static Task ClickAsync(IRenderedComponent<RuleForm> form, string text) =>
        form.InvokeAsync(() => form.FindAll("button").Single(b => b.TextContent.Trim() == text).Click());

    private static string? ErrorNextTo(IRenderedComponent<RuleForm> form, string field) =>
        form.Find($"[data-field='{field}']").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();
}
