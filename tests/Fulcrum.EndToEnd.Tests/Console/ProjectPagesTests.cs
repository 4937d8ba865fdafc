using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fulcrum.EndToEnd.Tests.Console;

/// <summary>Projects and their quotas, the admin's project choice, and a certificate uploaded through the console.</summary>
public sealed class ProjectPagesTests(ProjectPagesTests.Fixture fixture, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<ProjectPagesTests.Fixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Projects_AdminMakesOneAndSetsAQuota_KeepsItPickedAcrossAReload_AndAMemberSeesOnlyItsOwnUsage() => fixture.RunAsync(output, async lab =>
    {
        await lab.CreateLoadBalancerAsync("counted");
        var admin = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(admin, lab.AdminToken);
        await admin.GotoAsync("projects");
        await ConsolePages.ConnectedAsync(admin);

        var form = admin.Locator("[data-edit='new-project']");
        await form.Locator("[data-field='name']").FillAsync("tenant-b");
        await form.GetByRole(AriaRole.Button, new() { Name = "New project" }).ClickAsync();
        var tenant = admin.Locator("[data-project='tenant-b']");
        await Expect(tenant).ToBeVisibleAsync();

        await admin.GetByRole(AriaRole.Button, new() { Name = "Edit the quotas of tenant-b" }).ClickAsync();
        var quota = tenant.Locator("[data-field='quotas.loadBalancers']");
        await quota.FillAsync("-1");
        await tenant.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator(".mud-input-control:has([data-field='quotas.loadBalancers']) .mud-input-helper-text.mud-input-error")).ToBeVisibleAsync();
        await quota.FillAsync("3");
        await tenant.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(tenant.Locator("[data-quota='loadBalancers'] td").Nth(2)).ToHaveTextAsync("3");
        var made = (await lab.GetAsync<Page<ProjectResponse>>("projects")).Items.Single(p => p.Name == "tenant-b");
        Assert.Equal(3, made.Quotas.LoadBalancers);
        await ConsolePages.ScreenshotAsync(admin, "projects");

        await admin.GetByTestId("project-picker").ClickAsync();
        await admin.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "tenant-b" }).ClickAsync();
        var picker = admin.Locator("input[data-testid='project-picker'], [data-testid='project-picker'] input").First;
        await Expect(picker).ToHaveValueAsync("tenant-b");
        await admin.ReloadAsync();
        await ConsolePages.ConnectedAsync(admin);
        await Expect(picker).ToHaveValueAsync("tenant-b");

        var memberToken = await lab.CreateAsync<TokenResponse>("tokens", new { name = "projects member", role = Role.Member, projectId = lab.Project.Id });
        var member = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(member, memberToken.Secret!);
        await member.GotoAsync("projects");
        await ConsolePages.ConnectedAsync(member);
        var own = member.Locator("[data-project='lab']");
        await Expect(own.Locator("[data-quota='loadBalancers'] td").Nth(1)).ToHaveTextAsync("1");
        await Expect(member.Locator("[data-project='tenant-b']")).ToHaveCountAsync(0);
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "New project" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Certificate_PastedWithItsKey_IsListedWithItsSubject_AndItsKeyIsNeverShown() => fixture.RunAsync(output, async lab =>
    {
        var memberToken = await lab.CreateAsync<TokenResponse>("tokens", new { name = "certificates member", role = Role.Member, projectId = lab.Project.Id });
        var pem = SelfSignedCertificate.Create("upload.example.test");
        var page = await browser.NewPageAsync(lab.ServerUrl);
        await ConsolePages.SignInAsync(page, memberToken.Secret!);
        await page.GotoAsync("certificates");
        await ConsolePages.ConnectedAsync(page);

        await page.Locator("[data-field='name']").FillAsync("uploaded");
        await page.Locator("[data-field='certificatePem']").FillAsync(pem.CertificatePem);
        await page.Locator("[data-field='privateKeyPem']").FillAsync(pem.PrivateKeyPem);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

        var table = page.Locator("[data-certificates]");
        await Expect(table).ToContainTextAsync("CN=upload.example.test");
        await Expect(table).ToContainTextAsync("upload.example.test");
        var keyBody = pem.PrivateKeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.DoesNotContain(keyBody, await page.ContentAsync(), StringComparison.Ordinal);
        var stored = (await lab.GetAsync<Page<CertificateResponse>>($"certificates?projectId={lab.Project.Id}")).Items.Single(c => c.Name == "uploaded");
        Assert.Equal("CN=upload.example.test", stored.Subject);
    });

    public sealed class Fixture() : LabFixture(subnet: 245);
}
