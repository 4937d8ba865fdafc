using Bunit;
using MudBlazor.Services;

namespace Fulcrum.Server.Tests.Console;

/// <summary>
/// A bUnit context with MudBlazor's services; its JavaScript calls (focus, popovers) are answered with defaults.
/// Disposed asynchronously: MudBlazor's popover services can only be.
/// </summary>
public abstract class ConsoleTestContext : BunitContext, IAsyncLifetime
{
    protected ConsoleTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
