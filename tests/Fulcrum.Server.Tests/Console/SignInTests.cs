using System.Net;
using System.Text.RegularExpressions;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fulcrum.Server.Tests.Console;

/// <summary>
/// The console's session: a token signs in through the form (with its antiforgery token), the cookie then opens the
/// console's pages and nothing of the REST API, and the session ends with its token.
/// </summary>
public sealed partial class SignInTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    [Fact]
    public async Task SignIn_AdminToken_OpensTheConsoleButNotTheApi()
    {
        using var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);

        var signedIn = await SignInAsync(browser, factory.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location?.AbsolutePath);

        var overview = await browser.GetAsync("/");
        await overview.ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("Overview", await overview.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A write with the console's cookie alone, as another site could make the browser send it.
        var forged = await browser.PostAsync("/api/v1/clusters", new StringContent("""{"name":"forged"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        using var admin = factory.Admin();
        var clusters = await admin.GetAsync<Page<ClusterResponse>>("clusters");
        Assert.DoesNotContain(clusters.Items, c => c.Name == "forged");
    }

    [Fact]
    public async Task SignIn_WrongToken_ShowsAnErrorAndNeverEchoesTheToken()
    {
        using var browser = Browser();
        var answer = await SignInAsync(browser, "fat_not-a-token-anybody-has");

        await answer.ExpectAsync(HttpStatusCode.OK);
        var page = await answer.Content.ReadAsStringAsync();
        Assert.Contains("That token is not valid", page, StringComparison.Ordinal);
        Assert.DoesNotContain("fat_not-a-token-anybody-has", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefused()
    {
        using var browser = Browser();
        var answer = await browser.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["Input.Token"] = factory.AdminToken,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Session_TokenDeleted_EndsTheSession()
    {
        using var admin = factory.Admin();
        var project = await admin.CreateAsync<ProjectResponse>("projects", new { name = "signin-" + Guid.NewGuid().ToString("N")[..8] });
        var token = await admin.CreateAsync<TokenResponse>("tokens", new { name = "console", role = Role.Viewer, projectId = project.Id });
        using var browser = Browser();
        await SignInAsync(browser, token.Secret!);
        await (await browser.GetAsync("/")).ExpectAsync(HttpStatusCode.OK);

        await (await admin.DeleteAsync($"tokens/{token.Id}")).ExpectAsync(HttpStatusCode.NoContent);

        var after = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/sign-in", after.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var browser = Browser();
        await SignInAsync(browser, factory.AdminToken);
        var overview = await (await browser.GetAsync("/")).Content.ReadAsStringAsync();

        var signedOut = await browser.PostAsync("/sign-out", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(overview),
        }));

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("/_framework/blazor.web.js", "text/javascript")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js", "text/javascript")]
    public async Task ConsoleFiles_AreServed(string path, string contentType)
    {
        using var browser = Browser();
        var answer = await browser.GetAsync(path);

        await answer.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(contentType, answer.Content.Headers.ContentType?.MediaType);
        Assert.True((await answer.Content.ReadAsByteArrayAsync()).Length > 1000, $"{path} came back nearly empty.");
    }

    /// <summary>A browser: https (the cookie is secure-only), cookies kept, redirects shown rather than followed.</summary>
    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string token)
    {
        var form = await (await browser.GetAsync("/sign-in")).Content.ReadAsStringAsync();
        return await browser.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Input.Token"] = token,
        }));
    }

    private static string AntiforgeryToken(string page) => AntiforgeryField().Match(page) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups["value"].Value)
        : throw new InvalidOperationException("The page has no antiforgery token.");

    [GeneratedRegex("""name="__RequestVerificationToken" value="(?<value>[^"]+)" """)]
    private static partial Regex AntiforgeryField();
}
