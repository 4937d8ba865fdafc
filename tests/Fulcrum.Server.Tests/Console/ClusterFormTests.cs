using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Console.Clusters;
using Fulcrum.Server.Console.Shell;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Fulcrum.Server.Tests.Console;

/// <summary>The cluster form: what it sends with its defaults, and the operation's refusals shown on their fields.</summary>
public sealed class ClusterFormTests
{
    /// <summary>MudBlazor's services are disposed asynchronously only: each test awaits its context's disposal.</summary>
    private static BunitContext Context()
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        return context;
    }

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<ClusterForm> form, string label) =>
        form.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.StartsWith(label, StringComparison.Ordinal) == true);

    [Fact]
    public async Task Submit_OnlyNameAndRouterId_SendsTheDocumentedDefaults()
    {
        await using var context = Context();
        ClusterRequest? sent = null;
        var form = context.Render<ClusterForm>(p => p.Add(f => f.OnSubmit, (ClusterRequest r) => sent = r));

        Field(form, "Name").QuerySelector("input")!.Change("edge");
        Field(form, "Virtual router id").QuerySelector("input")!.Change("61");
        Field(form, "VIP pools").QuerySelector("textarea")!.Change("198.18.10.0/24\n\n 198.18.11.10-198.18.11.20 ");
        form.Find("form").Submit();

        Assert.NotNull(sent);
        Assert.Equal("edge", sent.Name);
        Assert.Equal(new VrrpSpec(61, VrrpSpec.DefaultAdvertIntervalMs, false, true), sent.Vrrp);
        Assert.Equal(["198.18.10.0/24", "198.18.11.10-198.18.11.20"], sent.VipPools);
        Assert.Equal(ClusterRequest.DefaultVipPrefixLengths, sent.VipPrefixLengths);
        Assert.Empty(sent.BackendAllowedRanges!);
    }

    [Fact]
    public async Task Problems_FromTheOperation_AreShownNextToTheirFields()
    {
        await using var context = Context();
        var errors = new ValidationErrors();
        errors.Add("vipPools[1]", "must be a CIDR block.");
        errors.Add("vrrp.virtualRouterId", "must be between 1 and 255.");
        Assert.True(FormProblems.TryFrom(new ValidationFailedException(errors), out var problems));

        var form = context.Render<ClusterForm>(p => p
            .Add(f => f.OnSubmit, (ClusterRequest _) => { })
            .Add(f => f.Problems, problems));

        Assert.Contains("Line 2: must be a CIDR block.", Field(form, "VIP pools").TextContent, StringComparison.Ordinal);
        Assert.Contains("must be between 1 and 255.", Field(form, "Virtual router id").TextContent, StringComparison.Ordinal);
        Assert.Contains("Some fields need a change", form.Find("[data-testid=form-problem]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinCommand_PinsTheServerAndFollowsTheNodesAddress()
    {
        await using var context = Context();
        var command = context.Render<JoinCommand>(p => p
            .Add(c => c.Secret, "fjt_secret")
            .Add(c => c.ServerUrl, "https://198.18.1.1:8080/")
            .Add(c => c.Fingerprint, "AB:CD"));

        command.FindAll("input")[0].Input("198.18.1.11");

        var text = command.Find("[data-testid=join-command-text]").TextContent;
        Assert.Contains("fulcrum-agent join --server https://198.18.1.1:8080 --server-fingerprint AB:CD --token fjt_secret", text, StringComparison.Ordinal);
        Assert.Contains("--address 198.18.1.11 --interface eth0", text, StringComparison.Ordinal);
    }
}
