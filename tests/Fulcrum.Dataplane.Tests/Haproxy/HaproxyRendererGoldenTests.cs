using Fulcrum.Dataplane.Haproxy;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Haproxy;

public sealed class HaproxyRendererGoldenTests
{
    private const string Tool = "haproxy";

    public static TheoryData<string> Cases => Golden.Cases(Tool);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_GoldenCase_MatchesExpectedFiles(string name)
    {
        var files = HaproxyRenderer.Render(Golden.Snapshot(Tool, name), Golden.Facts, Golden.Directory);

        Golden.AssertMatches(Tool, name, files);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Render_GoldenCase_IsAcceptedByHaproxy(string name)
    {
        var result = await HaproxyCheck.RenderAndCheckAsync(Golden.Snapshot(Tool, name));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("[WARNING]", result.Output, StringComparison.Ordinal);
    }
}
