using Bunit;
using Fulcrum.Core.Api;
using Fulcrum.Server.Console.Certificates;
using Fulcrum.Server.Console.LoadBalancers;

namespace Fulcrum.Server.Tests.Console.Certificates;

public sealed class CertificateComponentsTests : ConsoleTestContext
{
    private const string KeyPem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static CertificateResponse Certificate(string id, DateTimeOffset notAfter) => new(
        id, "prj-1", id, "", $"CN={id}.example.com", "CN=Test CA", [$"{id}.example.com", $"www.{id}.example.com"],
        Now.AddYears(-1), notAfter, "AB:CD", Now, Now);

    [Fact]
    public void Table_HighlightsCertificatesCloseToExpiry_AndNamesTheListenersUsingThem()
    {
        var cut = Render<CertificateTable>(p => p
            .Add(t => t.Certificates, [Certificate("fresh", Now.AddDays(200)), Certificate("soon", Now.AddDays(12)), Certificate("gone", Now.AddDays(-3))])
            .Add(t => t.UsedBy, new Dictionary<string, IReadOnlyList<string>> { ["soon"] = ["shop / https"] })
            .Add(t => t.Now, Now));

        Assert.Contains("mud-chip-color-success", cut.Find("[data-expiry='fresh'] .mud-chip").ClassName, StringComparison.Ordinal);
        Assert.Contains("expires in 12 days", cut.Find("[data-expiry='soon']").TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-warning", cut.Find("[data-expiry='soon'] .mud-chip").ClassName, StringComparison.Ordinal);
        Assert.Contains("expired 3 days ago", cut.Find("[data-expiry='gone']").TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-error", cut.Find("[data-expiry='gone'] .mud-chip").ClassName, StringComparison.Ordinal);
        Assert.Equal("shop / https", cut.Find("[data-used-by='soon']").TextContent.Trim());
        Assert.Equal("no listener", cut.Find("[data-used-by='fresh']").TextContent.Trim());
        Assert.Contains("www.soon.example.com", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("button[aria-label^='Delete']"));
    }

    [Fact]
    public void Upload_Refused_ShowsEachErrorNextToItsField_AndKeepsWhatWasTyped()
    {
        var cut = Render<CertificateUploadForm>(p => p.Add(f => f.OnUpload, _ => Task.FromResult(new FormOutcome(
            new Dictionary<string, string[]> { ["certificatePem"] = ["does not match the private key."] }, null))));
        cut.Find("[data-field='name']").Change("shop");
        cut.Find("textarea[data-field='privateKeyPem']").Change(KeyPem);

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Upload").Click();

        Assert.Equal("does not match the private key.",
            cut.Find("[data-field='certificatePem']").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")!.TextContent.Trim());
        Assert.Equal("shop", cut.Find("[data-field='name']").GetAttribute("value"));
    }

    [Fact]
    public void Upload_Accepted_SendsThePair_AndNeverShowsTheKeyAgain()
    {
        var sent = new List<CertificateRequest>();
        var cut = Render<CertificateUploadForm>(p => p.Add(f => f.OnUpload, request =>
        {
            sent.Add(request);
            return Task.FromResult(FormOutcome.Success);
        }));
        cut.Find("[data-field='name']").Change("shop");
        cut.Find("textarea[data-field='certificatePem']").Change("-----BEGIN CERTIFICATE-----");
        cut.Find("textarea[data-field='privateKeyPem']").Change(KeyPem);

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Upload").Click();

        Assert.Equal(("shop", KeyPem), (Assert.Single(sent).Name, sent[0].PrivateKeyPem));
        Assert.DoesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", cut.Markup, StringComparison.Ordinal);
    }
}
