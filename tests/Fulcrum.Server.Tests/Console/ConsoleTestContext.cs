using Bunit;
using MudBlazor.Services;

namespace Fulcrum.Server.Tests.Console;

/// <summary>A bUnit context with MudBlazor's services; its JavaScript calls (focus, popovers) are answered with defaults.</summary>
public abstract class ConsoleTestContext : BunitContext
{
    protected ConsoleTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }
}
