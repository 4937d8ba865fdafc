using Microsoft.Playwright;

namespace Fulcrum.EndToEnd.Tests.Console;

/// <summary>What a person does in the console, in the words of its pages.</summary>
public static class ConsolePages
{
    /// <summary>Signs in with <paramref name="token"/> and waits for the overview's live connection.</summary>
    public static async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("API token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await ConnectedAsync(page);
    }

    /// <summary>Waits until Blazor's live connection is up: clicks before that do nothing.</summary>
    public static Task ConnectedAsync(IPage page) => page.Locator(".mud-layout[data-interactive]").WaitForAsync();

    /// <summary>Opens the select holding <paramref name="field"/> within <paramref name="form"/> and picks the option that reads <paramref name="option"/>.</summary>
    public static async Task ChooseAsync(IPage page, ILocator form, string field, string option)
    {
        await form.Locator($".mud-input-control.mud-select:has([data-field='{field}'])").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(option, new() { Exact = true }).ClickAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Programs.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Programs.Screenshots, name + ".png"), FullPage = true });
    }
}
