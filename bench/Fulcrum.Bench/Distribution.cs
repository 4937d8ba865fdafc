using System.Globalization;

namespace Fulcrum.Bench;

/// <summary>Percentiles of a set of measurements (nearest rank), in milliseconds.</summary>
public sealed record Distribution(int Count, double P50, double P95, double P99, double Max)
{
    public static Distribution Of(IEnumerable<TimeSpan> values) => Of(values.Select(v => v.TotalMilliseconds));

    public static Distribution Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? new Distribution(0, double.NaN, double.NaN, double.NaN, double.NaN)
            : new Distribution(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1]);
    }

    /// <summary>The cells of a table row: count, p50, p95, p99, max.</summary>
    public IEnumerable<string> Cells() => [Count.ToString(CultureInfo.InvariantCulture), Ms(P50), Ms(P95), Ms(P99), Ms(Max)];

    public static readonly string[] Headers = ["n", "p50 ms", "p95 ms", "p99 ms", "max ms"];

    public static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 10 ? "F1" : "F0", CultureInfo.InvariantCulture);

    private static double Rank(double[] sorted, double quantile) => sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
