using System.Reflection;
using Fulcrum.Core.Api;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.Processes;

/// <summary>What the data plane needs of the node itself before it serves, and what it reports about its tools.</summary>
public sealed partial class Dataplane
{
    public async Task<NodeVersions> PrepareNodeAsync(CancellationToken ct)
    {
        EnableNonLocalBind();
        // A hold an agent left when it stopped mid-drain: the node decides again whether it stands aside.
        await HoldNewConnectionsAsync([], ct);
        return await ProbeVersionsAsync(ct);
    }

    /// <summary>Lets haproxy and nginx bind the VIPs on a BACKUP node too; this is the node's own network namespace.</summary>
    private void EnableNonLocalBind()
    {
        foreach (var setting in new[] { "/proc/sys/net/ipv4/ip_nonlocal_bind", "/proc/sys/net/ipv6/ip_nonlocal_bind" })
        {
            try
            {
                File.WriteAllText(setting, "1");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogSysctlFailed(logger, setting, e.Message);
            }
        }
    }

    private async Task<NodeVersions> ProbeVersionsAsync(CancellationToken ct)
    {
        async Task<string?> FirstLine(string program, params string[] arguments)
        {
            try
            {
                var result = await Commands.RunAsync(program, arguments, ct, TimeSpan.FromSeconds(5));
                return result.Output.Split('\n').FirstOrDefault()?.Trim() is { Length: > 0 } line ? line[..Math.Min(line.Length, 200)] : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        var agent = typeof(Dataplane).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return new NodeVersions(
            agent, await FirstLine(binaries.Haproxy, "-v"), await FirstLine(binaries.Nginx, "-v"), await FirstLine(binaries.Keepalived, "--version"));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not set {Setting}: {Reason}")]
    private static partial void LogSysctlFailed(ILogger logger, string setting, string reason);
}
