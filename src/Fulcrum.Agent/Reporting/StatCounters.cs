using System.Globalization;

namespace Fulcrum.Agent.Reporting;

/// <summary>
/// The counters of one listener (a haproxy frontend, named by its id) or one backend (a server, named by its id,
/// summed over the listeners that use it) in haproxy's <c>show stat</c>: connections open and total, bytes in and out,
/// and HTTP responses by class (1xx to 5xx, then other).
/// </summary>
public sealed record StatCounters(string Id, long Current, long Total, long BytesIn, long BytesOut, IReadOnlyList<long> Responses)
{
    public const int ResponseClasses = 6;

    private static readonly string[] ResponseColumns = ["hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"];

    public static (IReadOnlyList<StatCounters> Listeners, IReadOnlyList<StatCounters> Backends) Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal))
        {
            return ([], []);
        }

        var columns = lines[0][2..].Split(',').Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index);
        var listeners = new Dictionary<string, StatCounters>(StringComparer.Ordinal);
        var backends = new Dictionary<string, StatCounters>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            string Field(string name) => columns.TryGetValue(name, out var i) && i < fields.Length ? fields[i] : "";
            long Number(string name) => long.TryParse(Field(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

            var proxy = Field("pxname");
            var server = Field("svname");
            var (into, id) = server == "FRONTEND" && proxy.StartsWith("lsn-", StringComparison.Ordinal) ? (listeners, proxy)
                : server.StartsWith("be-", StringComparison.Ordinal) ? (backends, server)
                : (null, "");
            if (into is null)
            {
                continue;
            }

            var row = new StatCounters(id, Number("scur"), Number("stot"), Number("bin"), Number("bout"), [.. ResponseColumns.Select(Number)]);
            into[id] = into.TryGetValue(id, out var seen) ? seen.Plus(row) : row;
        }

        return ([.. listeners.Values], [.. backends.Values]);
    }

    private StatCounters Plus(StatCounters other) => new(
        Id,
        Current + other.Current,
        Total + other.Total,
        BytesIn + other.BytesIn,
        BytesOut + other.BytesOut,
        [.. Responses.Zip(other.Responses, (a, b) => a + b)]);
}
