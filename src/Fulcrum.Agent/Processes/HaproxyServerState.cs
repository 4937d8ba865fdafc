using Fulcrum.Dataplane.Haproxy;

namespace Fulcrum.Agent.Processes;

/// <summary>
/// haproxy's <c>show servers state</c>, carried over a reload so that the new workers know which backends are down
/// instead of sending them traffic until their first check. haproxy 2.6 applies a saved line to the server of the
/// same backend and name whatever the configuration now says — it would bring back the old port of a backend whose
/// port was changed — so only the lines of servers whose address and port are unchanged in the new configuration
/// are kept; the others start afresh, as the configuration says. The same goes for a server whose weight or
/// maintenance was set through the runtime API to something the new configuration no longer says: haproxy would
/// keep the runtime value over the configuration's.
/// </summary>
public static class HaproxyServerState
{
    /// <summary>haproxy's <c>SRV_ADMF_FMAINT</c> and <c>SRV_ADMF_FDRAIN</c>: maintenance and drain forced at runtime (or by <c>disabled</c>).</summary>
    private const int ForcedMaintenance = 0x01;
    private const int ForcedDrain = 0x08;

    /// <param name="state">What <c>show servers state</c> answered.</param>
    /// <param name="config">The haproxy configuration the new workers will read, as the renderer writes it.</param>
    public static string Keep(string state, string config)
    {
        var lines = state.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines is not ["1", var header, ..] || !header.StartsWith("# ", StringComparison.Ordinal))
        {
            return HaproxyRenderer.EmptyServerState;
        }

        var columns = header[2..].Split(' ').Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);
        if (!columns.TryGetValue("be_name", out var backendColumn) || !columns.TryGetValue("srv_name", out var serverColumn)
            || !columns.TryGetValue("srv_addr", out var addressColumn) || !columns.TryGetValue("srv_port", out var portColumn)
            || !columns.TryGetValue("srv_admin_state", out var adminColumn) || !columns.TryGetValue("srv_uweight", out var weightColumn))
        {
            return HaproxyRenderer.EmptyServerState;
        }

        var servers = Servers(config);
        var kept = lines.Skip(2).Where(line =>
        {
            var fields = line.Split(' ');
            return fields.Length == columns.Count
                && servers.TryGetValue((fields[backendColumn], fields[serverColumn], fields[addressColumn], fields[portColumn]), out var configured)
                && int.TryParse(fields[adminColumn], out var admin) && (admin & ForcedDrain) == 0
                && ((admin & ForcedMaintenance) != 0) == configured.Disabled
                && fields[weightColumn] == configured.Weight;
        });
        return string.Join('\n', [.. lines.Take(2), .. kept]) + "\n";
    }

    /// <summary>Every <c>server</c> line of every <c>backend</c> section: backend, server, address and port; its weight and maintenance.</summary>
    private static Dictionary<(string Backend, string Server, string Address, string Port), (string Weight, bool Disabled)> Servers(string config)
    {
        var servers = new Dictionary<(string, string, string, string), (string, bool)>();
        string? backend = null;
        foreach (var line in config.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                backend = fields is ["backend", var name, ..] ? name : null;
            }
            else if (backend is not null && fields is ["server", var server, var endpoint, ..] && endpoint.LastIndexOf(':') is > 0 and var colon)
            {
                // IPv6 endpoints are written [address]:port; the state file has the bare address.
                var weight = Array.IndexOf(fields, "weight") is > 0 and var at && at + 1 < fields.Length ? fields[at + 1] : "1";
                servers[(backend, server, endpoint[..colon].Trim('[', ']'), endpoint[(colon + 1)..])] = (weight, fields.Contains("disabled"));
            }
        }

        return servers;
    }
}
