using Bunit;
using Fulcrum.Server.Console.Acls;

namespace Fulcrum.Server.Tests.Console.Acls;

public sealed class CidrListEditorTests : ConsoleTestContext
{
    private static List<AclEntryRow> Rows(params string[] cidrs) => cidrs.Select(c => new AclEntryRow { Cidr = c }).ToList();

    private static string? ErrorNextTo(IRenderedComponent<CidrListEditor> cut, int entry) =>
        cut.Find($"[data-entry='{entry}']").QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();

    [Fact]
    public void Typing_ABadCidr_ShowsTheErrorNextToThatEntryOnly()
    {
        var rows = Rows("10.0.0.0/8", "192.168.0.0/16");
        var cut = Render<CidrListEditor>(p => p.Add(e => e.Rows, rows));

        cut.FindAll("[data-entry='1'] input")[0].Input("192.168.0.0/33");

        Assert.Contains("must be an IPv4 or IPv6 address or CIDR block", ErrorNextTo(cut, 1));
        Assert.Null(ErrorNextTo(cut, 0));
        Assert.Equal("192.168.0.0/33", rows[1].Cidr);
    }

    [Fact]
    public void Fixing_ABadCidr_ClearsItsError()
    {
        var cut = Render<CidrListEditor>(p => p.Add(e => e.Rows, Rows("10.0.0.0/99")));
        Assert.NotNull(ErrorNextTo(cut, 0));

        cut.Find("[data-entry='0'] input").Input("2001:db8::/32");

        Assert.Null(ErrorNextTo(cut, 0));
    }

    [Fact]
    public void TheApisErrors_LandOnTheEntryTheyName_UntilItIsEdited()
    {
        var errors = new Dictionary<string, string[]> { ["entries[1].cidr"] = ["is required."], ["entries[0].comment"] = ["is too long."] };
        var cut = Render<CidrListEditor>(p => p.Add(e => e.Rows, Rows("10.0.0.0/8", "")).Add(e => e.Errors, errors));

        Assert.Equal("is required.", ErrorNextTo(cut, 1));
        Assert.Equal("is too long.", ErrorNextTo(cut, 0));

        cut.Find("[data-entry='1'] input").Input("10.1.0.0/16");

        Assert.Null(ErrorNextTo(cut, 1));
        Assert.Equal("is too long.", ErrorNextTo(cut, 0));
    }

    [Fact]
    public void AddAndRemove_ChangeTheEntriesSent()
    {
        var rows = Rows("10.0.0.0/8", "10.2.0.0/16");
        var cut = Render<CidrListEditor>(p => p.Add(e => e.Rows, rows));

        cut.Find("button[aria-label='Remove entry 1']").Click();
        cut.FindAll("button").Single(b => b.TextContent.Contains("Add entry", StringComparison.Ordinal)).Click();
        cut.Find("[data-entry='1'] input").Input(" 198.18.0.0/15 ");

        Assert.Equal(["10.2.0.0/16", "198.18.0.0/15"], AclEntryRow.ToEntries(rows).Select(e => e.Cidr));
    }
}
