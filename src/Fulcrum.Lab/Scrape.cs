using System.Globalization;
using System.Text.RegularExpressions;

namespace Fulcrum.Lab;

/// <summary>One sample of a Prometheus text exposition: its series name, labels and value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? this[string label] => Labels.TryGetValue(label, out var value) ? value : null;
}

/// <summary>Reads what <c>/metrics</c> answered, to find samples by name and labels.</summary>
public static partial class Scrape
{
    public static IReadOnlyList<Sample> Parse(string text) =>
    [
        .. text.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(line => SampleLine().Match(line)).Where(m => m.Success).Select(m => new Sample(
            m.Groups["name"].Value,
            LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value, StringComparer.Ordinal),
            double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))),
    ];

    public static IEnumerable<Sample> Named(this IEnumerable<Sample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s[l.Label] == l.Value));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}
