using Fulcrum.Dataplane.Haproxy;

namespace Fulcrum.Agent.Processes;

/// <summary>
/// haproxy's <c>show servers state</c>, carried over a reload so that the new workers know which backends are down
/// instead of sending them traffic until their first check. haproxy 2.6 applies a saved line to the server of the
/// same backend and name whatever the configuration now says — it would bring back the old port of a backend whose
/// port was changed — so only the lines of servers whose address and port are unchanged in the new configuration
/// are kept; the others start afresh, as the configuration says.
/// </summary>
public static class HaproxyServerState
{
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
            || !columns.TryGetValue("srv_addr", out var addressColumn) || !columns.TryGetValue("srv_port", out var portColumn))
        {
            return HaproxyRenderer.EmptyServerState;
        }

        var servers = Servers(config);
        var kept = lines.Skip(2).Where(line =>
        {
            var fields = line.Split(' ');
            return fields.Length == columns.Count
                && servers.Contains((fields[backendColumn], fields[serverColumn], fields[addressColumn], fields[portColumn]));
        });
        return string.Join('\n', [.. lines.Take(2), .. kept]) + "\n";
    }

    /// <summary>Every <c>server</c> line of every <c>backend</c> section: backend, server, address and port.</summary>
    private static HashSet<(string Backend, string Server, string Address, string Port)> Servers(string config)
    {
        var servers = new HashSet<(string, string, string, string)>();
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
                servers.Add((backend, server, endpoint[..colon].Trim('[', ']'), endpoint[(colon + 1)..]));
            }
        }

        return servers;
    }
}
