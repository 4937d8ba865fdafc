using MudBlazor;

namespace Fulcrum.Server.Console.Shell;

/// <summary>The console's colours and type; system fonts only, the console loads nothing from outside the server.</summary>
public static class ConsoleTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2563eb",
            Secondary = "#0f766e",
            AppbarBackground = "#0f172a",
            AppbarText = "#f8fafc",
            Background = "#f5f7fb",
            DrawerBackground = "#ffffff",
            Success = "#15803d",
            Warning = "#b45309",
            Error = "#b91c1c",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#60a5fa",
            Secondary = "#2dd4bf",
            AppbarBackground = "#0b1220",
            Background = "#111827",
            Surface = "#1f2937",
            DrawerBackground = "#111827",
            Success = "#4ade80",
            Warning = "#fbbf24",
            Error = "#f87171",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
