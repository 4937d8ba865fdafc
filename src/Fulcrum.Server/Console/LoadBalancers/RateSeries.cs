using System.Globalization;
using Fulcrum.Server.Listeners;

namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>One line of a rate chart: what it is called, how it is read from a point, and its colour.</summary>
public sealed record RateSeries(string Name, Func<ListenerRatePoint, double> Value, string Color);

/// <summary>How rates read in the console: short, with their unit, the way a person says them.</summary>
public static class RateFormat
{
    private static readonly string[] ByteUnits = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"];

    public static string PerSecond(double rate) => rate switch
    {
        0 => "0/s",
        < 10 => rate.ToString("0.##", CultureInfo.InvariantCulture) + "/s",
        < 1_000 => rate.ToString("0.#", CultureInfo.InvariantCulture) + "/s",
        < 1_000_000 => (rate / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k/s",
        _ => (rate / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M/s",
    };

    public static string Bytes(double rate)
    {
        var unit = 0;
        while (rate >= 1_000 && unit < ByteUnits.Length - 1)
        {
            rate /= 1_000;
            unit++;
        }

        return rate.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + ByteUnits[unit];
    }

    /// <summary>The top of a chart's scale: the peak rounded up to 1, 2 or 5 times a power of ten, so its gridlines read well.</summary>
    public static double NiceCeiling(double peak)
    {
        if (peak <= 0)
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(peak)));
        return new[] { 1.0, 2, 5, 10 }.Select(f => f * power).First(top => top >= peak);
    }
}
