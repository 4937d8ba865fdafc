using System.Text.Json.Nodes;
using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Server.Console.Audit;

namespace Fulcrum.Server.Tests.Console.Audit;

public sealed class AuditEventTableTests : ConsoleTestContext
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 6, 30, 5, TimeSpan.Zero);

    [Fact]
    public void Table_ShowsWhoWhatWhenAndTheOutcome_WithTheRefusalsStatus()
    {
        var drained = new AuditEventResponse(
            "ae-1", At, new AuditActor("tok-ops", Role.Member, null), "prj-1", "cl-1", "lb-1", "drain", "backend", "be-1",
            new Dictionary<string, JsonNode?> { ["adminState"] = "drain", ["description"] = "" }, AuditOutcome.Success, 200, null);
        var refused = new AuditEventResponse(
            "ae-2", At, new AuditActor("tok-ops", Role.Member, null), "prj-1", "cl-1", "lb-1", "update", "backend", "be-1",
            new Dictionary<string, JsonNode?>(), AuditOutcome.Refused, 412, "Precondition failed");
        var joined = new AuditEventResponse(
            "ae-3", At, new AuditActor(null, null, "nd-1"), null, "cl-1", null, "join", "node", "nd-1",
            new Dictionary<string, JsonNode?> { ["credentialHash"] = AuditEventResponse.Redacted }, AuditOutcome.Success, 201, null);

        var cut = Render<AuditEventTable>(p => p.Add(t => t.Events, [drained, refused, joined]));

        Assert.Equal("tok-ops (member)", cut.Find("[data-actor='ae-1']").TextContent.Trim());
        Assert.Contains("drain backend be-1", cut.Find("[data-what='ae-1']").TextContent, StringComparison.Ordinal);
        Assert.Contains("adminState = drain", cut.Find("[data-what='ae-1']").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("description", cut.Find("[data-what='ae-1']").TextContent, StringComparison.Ordinal);
        Assert.Equal("success", cut.Find("[data-outcome='ae-1']").TextContent.Trim());
        Assert.Equal("412 Precondition failed", cut.Find("[data-outcome='ae-2']").TextContent.Trim());
        Assert.Equal("node nd-1", cut.Find("[data-actor='ae-3']").TextContent.Trim());
        Assert.Contains("credentialHash = (redacted)", cut.Find("[data-what='ae-3']").TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-12-03 06:30:05 UTC", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_WithoutEvents_SaysSo()
    {
        var cut = Render<AuditEventTable>(p => p.Add(t => t.Events, []));

        Assert.Contains("No write recorded yet.", cut.Find("[data-operations='empty']").TextContent, StringComparison.Ordinal);
    }
}
