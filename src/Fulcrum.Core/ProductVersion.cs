using System.Reflection;

namespace Fulcrum.Core;

/// <summary>The version every Fulcrum program prints with <c>--version</c>: Directory.Build.props' one Version, plus the commit.</summary>
public static class ProductVersion
{
    public static string Current { get; } =
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
