using Fulcrum.Dataplane.Haproxy;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Haproxy;

public sealed class HaproxyTextTests
{
    [Theory]
    [InlineData("www.example.test", "'www.example.test'")]
    [InlineData("it's", @"'it'\''s'")]
    [InlineData("'", @"''\'''")]
    [InlineData("$(reboot) ${HOME} # \\ \"q\"", "'$(reboot) ${HOME} # \\ \"q\"'")]
    public void Quote_PrintableAscii_IsSingleQuotedWithQuotesEscaped(string value, string expected) =>
        Assert.Equal(expected, HaproxyText.Quote(value));

    [Theory]
    [InlineData("")]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("nul\0byte")]
    [InlineData("tab\there")]
    [InlineData("bidi\u202Eoverride")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("caf\u00e9")]
    public void Quote_EmptyControlOrNonAscii_Throws(string value) =>
        Assert.Throws<ArgumentException>(() => HaproxyText.Quote(value));

    /// <summary>haproxy names an unknown keyword in its error, which shows the word exactly as its tokenizer read it.</summary>
    [Theory]
    [InlineData("it's")]
    [InlineData("''")]
    [InlineData("$(reboot) ${HOME}")]
    [InlineData("# not a comment")]
    [InlineData("back\\slash \"double\" \\'")]
    [InlineData("%[src] %%")]
    public async Task Quote_AnyPrintableAscii_ReadsBackExactlyInHaproxy(string value)
    {
        var directory = Directory.CreateTempSubdirectory("fulcrum-quote-");
        try
        {
            var config = Path.Combine(directory.FullName, "haproxy.cfg");
            await File.WriteAllTextAsync(config, $"global\n    {HaproxyText.Quote(value)}\n");

            var result = await Tools.RunAsync("haproxy", "-c", "-f", config);

            Assert.Contains($"unknown keyword '{value}' in 'global' section", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LogFormatLiteral_Percent_IsDoubled() =>
        Assert.Equal("/new%%20page%%[src]", HaproxyText.LogFormatLiteral("/new%20page%[src]"));

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("")]
    public void LogFormatLiteral_EmptyOrControl_Throws(string value) =>
        Assert.Throws<ArgumentException>(() => HaproxyText.LogFormatLiteral(value));

    [Theory]
    [InlineData("JSESSIONID", "JSESSIONID")]
    [InlineData("it's", @"it\'s")]
    [InlineData("a\"b\\c", "a\\\"b\\\\c")]
    [InlineData("$#%&!^~*+|`", "$#%&!^~*+|`")]
    public void SampleArgument_QuotesAndBackslashes_AreBackslashEscaped(string value, string expected) =>
        Assert.Equal(expected, HaproxyText.SampleArgument(value));

    [Theory]
    [InlineData("a,b")]
    [InlineData("a)b")]
    [InlineData("a(b")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    public void SampleArgument_ArgumentSeparatorsOrControl_Throw(string value) =>
        Assert.Throws<ArgumentException>(() => HaproxyText.SampleArgument(value));

    [Theory]
    [InlineData(7_200_000, "2h")]
    [InlineData(1_800_000, "30m")]
    [InlineData(90_000, "90s")]
    [InlineData(1_500, "1500ms")]
    [InlineData(1, "1ms")]
    public void Duration_Milliseconds_UsesTheLargestExactUnit(int milliseconds, string expected) =>
        Assert.Equal(expected, HaproxyText.Duration(milliseconds));
}
