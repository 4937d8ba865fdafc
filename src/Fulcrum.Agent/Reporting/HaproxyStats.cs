using System.Globalization;
using Fulcrum.Core.Api;

namespace Fulcrum.Agent.Reporting;

/// <summary>
/// haproxy's <c>show stat</c> CSV, read for the heartbeat: frontends (named by listener ids) give the listener
/// counters, servers (named by backend ids) their health. A backend used by several listeners is DOWN when any of
/// their checks says so.
/// </summary>
public static class HaproxyStats
{
    /// <summary>Frontends (type 1) and servers (type 4) of every proxy: backend rows are not read at all.</summary>
    public const string Command = "show stat -1 5 -1";

    public static (IReadOnlyList<BackendHealthReport> Backends, IReadOnlyList<ListenerCounters> Listeners) Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal))
        {
            return ([], []);
        }

        var columns = lines[0][2..].Split(',').Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index);
        var health = new Dictionary<string, BackendHealth>(StringComparer.Ordinal);
        var listeners = new List<ListenerCounters>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            string Field(string name) => columns.TryGetValue(name, out var i) && i < fields.Length ? fields[i] : "";
            long Number(string name) => long.TryParse(Field(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

            var proxy = Field("pxname");
            var server = Field("svname");
            if (server == "FRONTEND" && proxy.StartsWith("lsn-", StringComparison.Ordinal))
            {
                // haproxy leaves the hrsp_* fields empty on a frontend that is not in HTTP mode.
                var responses = Field("mode") == "http"
                    ? new HttpResponseCounts(Number("hrsp_1xx"), Number("hrsp_2xx"), Number("hrsp_3xx"), Number("hrsp_4xx"), Number("hrsp_5xx"), Number("hrsp_other"))
                    : null;
                listeners.Add(new ListenerCounters(proxy, Number("scur"), Number("stot"), Number("bin"), Number("bout"), responses));
            }
            else if (server.StartsWith("be-", StringComparison.Ordinal))
            {
                var seen = HealthOf(Field("status"));
                health[server] = health.TryGetValue(server, out var known) ? Worst(known, seen) : seen;
            }
        }

        return (health.Select(h => new BackendHealthReport(h.Key, h.Value)).ToList(), listeners);
    }

    private static BackendHealth HealthOf(string status) => status switch
    {
        _ when status.StartsWith("DOWN", StringComparison.Ordinal) => BackendHealth.Down,
        _ when status.StartsWith("UP", StringComparison.Ordinal) || status is "NOLB" or "DRAIN" => BackendHealth.Up,
        _ => BackendHealth.Unknown,
    };

    private static BackendHealth Worst(BackendHealth a, BackendHealth b) =>
        a == BackendHealth.Down || b == BackendHealth.Down ? BackendHealth.Down
        : a == BackendHealth.Up || b == BackendHealth.Up ? BackendHealth.Up
        : BackendHealth.Unknown;
}
