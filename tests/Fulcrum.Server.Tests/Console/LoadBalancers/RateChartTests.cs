using Bunit;
using Fulcrum.Server.Console.LoadBalancers;
using Fulcrum.Server.Listeners;

namespace Fulcrum.Server.Tests.Console.LoadBalancers;

public sealed class RateChartTests : ConsoleTestContext
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static List<ListenerRatePoint> Points(params double[] connections) =>
        connections.Select((c, i) => new ListenerRatePoint(Start + (i * ListenerRateHistory.Step), c, c * 1_000, c * 2_000, HttpResponseRates.Zero)).ToList();

    [Fact]
    public void Chart_DrawsOneVertexPerStep_AndNamesTheLatestAndPeakRates()
    {
        var cut = Render<RateChart>(p => p
            .Add(c => c.Title, "New connections")
            .Add(c => c.Points, Points(2, 40, 12.5))
            .Add(c => c.Series, [new RateSeries("connections", r => r.ConnectionsPerSecond, "#1e88e5")]));

        Assert.Equal(3, cut.Find("polyline[data-series='connections']").GetAttribute("points")!.Split(' ').Length);
        Assert.Equal("connections 12.5/s peak 40/s", cut.Find("[data-legend='connections']").TextContent.Trim());
        Assert.Contains("12:00 UTC", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("50/s", cut.FindAll("svg text").Select(t => t.TextContent));
    }

    [Fact]
    public void Chart_OfTheHighestStep_ReachesTheTopOfItsScale_AndZeroTheBottom()
    {
        var cut = Render<RateChart>(p => p
            .Add(c => c.Title, "Bytes")
            .Add(c => c.Points, Points(0, 5))
            .Add(c => c.Series, [new RateSeries("in", r => r.BytesInPerSecond, "#43a047")])
            .Add(c => c.Format, RateFormat.Bytes));

        var ys = cut.Find("polyline").GetAttribute("points")!.Split(' ').Select(v => double.Parse(v.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.True(ys[0] > ys[1]);
        Assert.Contains("5 kB/s", cut.FindAll("svg text").Select(t => t.TextContent));
        Assert.Contains("0 B/s", cut.FindAll("svg text").Select(t => t.TextContent));
    }

    [Fact]
    public void Chart_WithoutHistory_SaysWhenRatesWillAppear()
    {
        var cut = Render<RateChart>(p => p
            .Add(c => c.Title, "New connections")
            .Add(c => c.Points, Points(3))
            .Add(c => c.Series, [new RateSeries("connections", r => r.ConnectionsPerSecond, "#1e88e5")]));

        Assert.Empty(cut.FindAll("svg"));
        Assert.Contains("No traffic recorded yet", cut.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0 B/s")]
    [InlineData(999, "999 B/s")]
    [InlineData(1_500, "1.5 kB/s")]
    [InlineData(2_340_000, "2.3 MB/s")]
    public void Bytes_ReadWithTheirUnit(double rate, string expected) => Assert.Equal(expected, RateFormat.Bytes(rate));

    [Theory]
    [InlineData(0.3, 0.5)]
    [InlineData(40, 50)]
    [InlineData(120, 200)]
    [InlineData(0, 1)]
    public void Scale_EndsOnARoundNumberAtOrAboveThePeak(double peak, double top) => Assert.Equal(top, RateFormat.NiceCeiling(peak));
}
