using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.Processes;

/// <summary>The hold on new connections a MASTER puts on its VIPs before it stands aside (see <c>VipDrain</c>).</summary>
public sealed partial class Dataplane
{
    /// <summary>A table of the agent's own, replaced whole: nothing else of the node's packet filter is touched.</summary>
    private const string DrainTable = "inet fulcrum_drain";

    private const UnixFileMode DrainRulesMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public async Task<bool> HoldNewConnectionsAsync(IReadOnlyList<IPAddress> vips, CancellationToken ct)
    {
        var file = Path.Combine(Runtime, "vip-drain.nft");
        StateDirectory.WriteAtomically(file, DrainRules(vips), DrainRulesMode);
        try
        {
            var result = await Commands.RunAsync(binaries.Nft, ["-f", file], ct, TimeSpan.FromSeconds(5));
            if (!result.Succeeded)
            {
                LogHoldFailed(logger, result.Output.Trim());
            }

            return result.Succeeded;
        }
        catch (Win32Exception e)
        {
            LogHoldFailed(logger, $"{binaries.Nft}: {e.Message}");
            return false;
        }
    }

    /// <summary>
    /// One nft transaction: the table is declared (so that deleting it cannot fail), deleted and, with VIPs, made again
    /// with one rule per family. The addresses are parsed ones, written in their canonical form.
    /// </summary>
    public static string DrainRules(IReadOnlyList<IPAddress> vips)
    {
        var rules = new StringBuilder().Append($"table {DrainTable}\ndelete table {DrainTable}\n");
        if (vips.Count == 0)
        {
            return rules.ToString();
        }

        rules.Append($"table {DrainTable} {{\n\tchain prerouting {{\n\t\ttype filter hook prerouting priority raw; policy accept;\n");
        foreach (var (family, match) in new[] { (AddressFamily.InterNetwork, "ip"), (AddressFamily.InterNetworkV6, "ip6") })
        {
            if (vips.Where(v => v.AddressFamily == family).Select(v => v.ToString()).ToList() is { Count: > 0 } addresses)
            {
                rules.Append($"\t\t{match} daddr {{ {string.Join(", ", addresses)} }} tcp flags & (syn | ack) == syn drop\n");
            }
        }

        return rules.Append("\t}\n}\n").ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not change the hold on new connections to the VIPs (a MASTER standing aside then hands over without draining): {Reason}")]
    private static partial void LogHoldFailed(ILogger logger, string reason);
}
