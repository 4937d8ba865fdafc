using Fulcrum.Core.Api;
using System.Text.RegularExpressions;
using MudBlazor;

namespace Fulcrum.Server.Console.Shell;

/// <summary>One colour per state everywhere in the console, and times in words.</summary>
public static partial class Badges
{
    public static Color Of(VrrpState state) => state switch
    {
        VrrpState.Master => Color.Success,
        VrrpState.Backup => Color.Info,
        VrrpState.Fault => Color.Error,
        _ => Color.Default,
    };

    public static Color Of(OperatingStatus status) => status switch
    {
        OperatingStatus.Online => Color.Success,
        OperatingStatus.Degraded => Color.Warning,
        OperatingStatus.Error => Color.Error,
        _ => Color.Default,
    };

    public static Color Of(ProvisioningStatus status) => status switch
    {
        ProvisioningStatus.Active => Color.Success,
        ProvisioningStatus.Error => Color.Error,
        _ => Color.Info,
    };

    public static string Text(VrrpState state) => state.ToString().ToUpperInvariant();

    public static string Text(OperatingStatus status) => status.ToString().ToUpperInvariant();

    public static string Text(ProvisioningStatus status) => status.ToString().ToUpperInvariant();

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is null)
        {
            return "never";
        }

        var age = now - at.Value;
        return age.TotalSeconds switch
        {
            < 2 => "just now",
            < 60 => $"{(int)age.TotalSeconds} s ago",
            < 3600 => $"{(int)age.TotalMinutes} min ago",
            < 86400 => $"{(int)age.TotalHours} h ago",
            _ => at.Value.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The version number in a tool's banner ("HAProxy version 2.6.12-1+deb12u4 2026/10/17 - …" is 2.6.12).</summary>
    public static string VersionNumber(string banner) => VersionPattern().Match(banner) is { Success: true } number ? number.Value : banner;

    [GeneratedRegex(@"\d+(\.\d+)+")]
    private static partial Regex VersionPattern();
}
