using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fulcrum.Deploy.Tests;

/// <summary>deploy/fulcrum-grafana.json: a dashboard Grafana imports, querying only the series the operator guide lists.</summary>
public sealed partial class GrafanaDashboardTests
{
    [Fact]
    public void Dashboard_IsJson_AndEveryQueryNamesOnlyDocumentedSeries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFile("deploy", "fulcrum-grafana.json")));
        var documented = DocumentedSeries();
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        var expressions = panels.SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();

        Assert.Equal("Fulcrum", dashboard.RootElement.GetProperty("title").GetString());
        Assert.True(panels.Count >= 10);
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.All(expressions, expression =>
        {
            var series = SeriesName().Matches(expression).Select(m => Base(m.Value)).ToList();
            Assert.NotEmpty(series);
            Assert.All(series, name => Assert.True(documented.Contains(name), $"{name} (in {expression}) is not in the operator guide's series table"));
        });
        Assert.Contains(documented, name => expressions.Any(e => e.Contains(name, StringComparison.Ordinal)) && name.StartsWith("fulcrum_agent_listener", StringComparison.Ordinal));
    }

    /// <summary>The names in the first column of the operator guide's metrics table.</summary>
    private static HashSet<string> DocumentedSeries() =>
        [.. File.ReadAllLines(RepositoryFile("docs", "operator-guide.md"))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => SeriesName().Matches(line.Split('|')[1]).Select(m => m.Value))];

    /// <summary>A histogram is documented by its name; queries read its _bucket, _count or _sum.</summary>
    private static string Base(string name) => HistogramPart().Replace(name, "");

    [GeneratedRegex(@"\b(fulcrum|http_server)_[a-z_]+")]
    private static partial Regex SeriesName();

    [GeneratedRegex("_(bucket|count|sum)$")]
    private static partial Regex HistogramPart();

    private static string RepositoryFile(params string[] parts)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine([directory.FullName, .. parts]);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"No {Path.Combine(parts)} above {AppContext.BaseDirectory}.");
    }
}
