using System.Net;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Validation;

public sealed class GrammarTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("Web frontend (prod)")]
    [InlineData("Zürich – Straße")]
    [InlineData("東京ロードバランサー")]
    [InlineData("Ελληνικά")]
    [InlineData("rocket 🚀 launch")]
    [InlineData("a\u00a0b")]
    public void DisplayText_PrintableUnicode_ReturnedUnchanged(string value)
    {
        var errors = new ValidationErrors();

        var result = Grammar.DisplayText(errors, "name", value, 255, required: true);

        Assert.Equal(value, result);
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("a\u0000b", "U+0000")]
    [InlineData("a\tb", "U+0009")]
    [InlineData("line\nbreak", "U+000A")]
    [InlineData("a\u007fb", "U+007F")]
    [InlineData("a\u0085b", "U+0085")]
    [InlineData("evil\u202Etxt.exe", "U+202E")]
    [InlineData("zero\u200Bwidth", "U+200B")]
    [InlineData("joined\u200Dtext", "U+200D")]
    [InlineData("bom\uFEFFinside", "U+FEFF")]
    [InlineData("line\u2028separator", "U+2028")]
    [InlineData("para\u2029separator", "U+2029")]
    [InlineData("private\uE000use", "U+E000")]
    public void DisplayText_ControlOrInvisibleCharacter_RejectedNamingTheCodePoint(string value, string codePoint)
    {
        var errors = new ValidationErrors();

        var result = Grammar.DisplayText(errors, "name", value, 255, required: true);

        Assert.Null(result);
        var message = Assert.Single(errors.MessagesAt("name"));
        Assert.Contains(codePoint, message, StringComparison.Ordinal);
    }

    // The code unit is passed as a number: xunit's theory data serialisation would turn a lone surrogate into U+FFFD.
    [Theory]
    [InlineData("a", 0xD800, "b")]
    [InlineData("a", 0xDC00, "b")]
    [InlineData("", 0xD83D, "")]
    [InlineData("end", 0xD83D, "")]
    [InlineData("", 0xDE80, "start")]
    public void DisplayText_LoneSurrogate_RejectedAsInvalidUnicode(string before, int codeUnit, string after)
    {
        var errors = new ValidationErrors();
        var value = before + (char)codeUnit + after;

        var result = Grammar.DisplayText(errors, "name", value, 255, required: true);

        Assert.Null(result);
        Assert.Equal(["must be valid Unicode text."], errors.MessagesAt("name"));
    }

    [Fact]
    public void DisplayText_SurrogatePairReversed_RejectedAsInvalidUnicode()
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.DisplayText(errors, "name", "a\uDE80\uD83Db", 255, required: true));
        Assert.Equal(["must be valid Unicode text."], errors.MessagesAt("name"));
    }

    [Theory]
    [InlineData(" web")]
    [InlineData("web ")]
    [InlineData("\tweb")]
    [InlineData("web\n")]
    [InlineData("\u00a0web")]
    [InlineData("web\u3000")]
    [InlineData(" ")]
    public void DisplayText_LeadingOrTrailingWhiteSpace_Rejected(string value)
    {
        var errors = new ValidationErrors();

        var result = Grammar.DisplayText(errors, "name", value, 255, required: true);

        Assert.Null(result);
        Assert.Equal(["must not start or end with white space."], errors.MessagesAt("name"));
    }

    [Fact]
    public void DisplayText_AtMaximumLength_Accepted()
    {
        var errors = new ValidationErrors();
        var value = new string('x', 16);

        Assert.Equal(value, Grammar.DisplayText(errors, "name", value, 16, required: true));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void DisplayText_OneOverMaximumLength_RejectedWithTheLimit()
    {
        var errors = new ValidationErrors();

        var result = Grammar.DisplayText(errors, "name", new string('x', 17), 16, required: true);

        Assert.Null(result);
        Assert.Equal(["must be at most 16 characters."], errors.MessagesAt("name"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void DisplayText_MissingAndRequired_IsRequired(string? value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.DisplayText(errors, "name", value, 255, required: true));
        Assert.Equal(["is required."], errors.MessagesAt("name"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void DisplayText_MissingAndOptional_NoError(string? value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.DisplayText(errors, "expect", value, 255, required: false));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Name_LongerThan255Characters_Rejected()
    {
        var errors = new ValidationErrors();

        Assert.Equal(new string('n', Grammar.MaxNameLength), Grammar.Name(errors, "name", new string('n', Grammar.MaxNameLength)));
        Assert.Null(Grammar.Name(errors, "other", new string('n', Grammar.MaxNameLength + 1)));
        Assert.Equal(["other"], errors.Paths());
    }

    [Fact]
    public void Description_Missing_EmptyStringWithoutError()
    {
        var errors = new ValidationErrors();

        Assert.Equal("", Grammar.Description(errors, "description", null));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Description_Invalid_NullWithError()
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Description(errors, "description", "bad\u202Etext"));
        Assert.Equal(["description"], errors.Paths());
    }

    [Fact]
    public void Description_UpTo1024Characters_Accepted()
    {
        var errors = new ValidationErrors();
        var text = new string('d', Grammar.MaxDescriptionLength);

        Assert.Equal(text, Grammar.Description(errors, "description", text));
        Assert.Null(Grammar.Description(errors, "long", text + "d"));
        Assert.Equal(["long"], errors.Paths());
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("WWW.Example.COM", "www.example.com")]
    [InlineData("a", "a")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("a-b.c-d.e", "a-b.c-d.e")]
    [InlineData("1.2.3.4", "1.2.3.4")]
    [InlineData("3com.net", "3com.net")]
    public void Hostname_Rfc1123Name_ReturnedInLowerCase(string value, string expected)
    {
        var errors = new ValidationErrors();

        Assert.Equal(expected, Grammar.Hostname(errors, "host", value));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("-example.com")]
    [InlineData("example-.com")]
    [InlineData("example..com")]
    [InlineData(".example.com")]
    [InlineData("example.com.")]
    [InlineData("exa_mple.com")]
    [InlineData("exa mple.com")]
    [InlineData("bücher.example")]
    [InlineData("example.com:443")]
    [InlineData("example.com/path")]
    [InlineData("*.example.com")]
    [InlineData("*")]
    public void Hostname_InvalidWithoutWildcard_Rejected(string value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Hostname(errors, "host", value));
        Assert.Equal(["host"], errors.Paths());
    }

    [Theory]
    [InlineData("*.example.com", "*.example.com")]
    [InlineData("*.EXAMPLE.com", "*.example.com")]
    [InlineData("*.a", "*.a")]
    [InlineData("api.example.com", "api.example.com")]
    public void Hostname_WildcardAllowed_LeadingStarLabelAccepted(string value, string expected)
    {
        var errors = new ValidationErrors();

        Assert.Equal(expected, Grammar.Hostname(errors, "match.host", value, allowWildcard: true));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("**.example.com")]
    [InlineData("*.*.example.com")]
    [InlineData("api.*.example.com")]
    [InlineData("example.*")]
    [InlineData("*example.com")]
    [InlineData("a*.example.com")]
    public void Hostname_WildcardAnywhereButLeadingLabel_Rejected(string value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Hostname(errors, "match.host", value, allowWildcard: true));
        var message = Assert.Single(errors.MessagesAt("match.host"));
        Assert.Contains("'*.'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostname_LabelOf63Characters_AcceptedAnd64Rejected()
    {
        var errors = new ValidationErrors();

        Assert.NotNull(Grammar.Hostname(errors, "ok", new string('a', 63) + ".example"));
        Assert.Null(Grammar.Hostname(errors, "long", new string('a', 64) + ".example"));
        Assert.Equal(["long"], errors.Paths());
    }

    [Fact]
    public void Hostname_Of253Characters_AcceptedAnd254Rejected()
    {
        var errors = new ValidationErrors();
        var label = new string('a', 63);
        var name253 = string.Join('.', label, label, label, new string('b', 61));

        Assert.Equal(253, name253.Length);
        Assert.Equal(name253, Grammar.Hostname(errors, "ok", name253));
        Assert.Null(Grammar.Hostname(errors, "long", name253 + "b"));
        Assert.Equal(["long"], errors.Paths());
    }

    [Fact]
    public void Hostname_WildcardMakingTheNameLongerThan253_Rejected()
    {
        var errors = new ValidationErrors();
        var label = new string('a', 63);
        var suffix = string.Join('.', label, label, label, new string('b', 59));

        Assert.Equal(253, ("*." + suffix).Length);
        Assert.NotNull(Grammar.Hostname(errors, "ok", "*." + suffix, allowWildcard: true));
        Assert.Null(Grammar.Hostname(errors, "long", "*." + suffix + "bb", allowWildcard: true));
        Assert.Equal(["long"], errors.Paths());
    }

    [Fact]
    public void Hostname_MissingAndRequired_IsRequired()
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Hostname(errors, "optional", null));
        Assert.Null(Grammar.Hostname(errors, "host", "", required: true));
        Assert.Equal(["host"], errors.Paths());
        Assert.Equal(["is required."], errors.MessagesAt("host"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/healthz")]
    [InlineData("/api/v1/items")]
    [InlineData("/a%20b")]
    [InlineData("/%E2%82%AC")]
    [InlineData("/%7e")]
    [InlineData("/-._~!$&()*+,;=:@")]
    [InlineData("/trailing/")]
    public void UrlPath_Rfc3986Path_ReturnedUnchanged(string value)
    {
        var errors = new ValidationErrors();

        Assert.Equal(value, Grammar.UrlPath(errors, "path", value));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("healthz")]
    [InlineData("api/")]
    [InlineData("*")]
    [InlineData("http://example.com/")]
    [InlineData("/a b")]
    [InlineData("/a\tb")]
    [InlineData("/a\nb")]
    [InlineData("/a\rb")]
    [InlineData("/a\u0000b")]
    [InlineData("/a\u007fb")]
    [InlineData("/\"quoted\"")]
    [InlineData("/it\"s")]
    [InlineData("/it's")]
    [InlineData("/a#fragment")]
    [InlineData("/a\\b")]
    [InlineData("/a<b>")]
    [InlineData("/a{b}")]
    [InlineData("/a|b")]
    [InlineData("/a^b")]
    [InlineData("/a`b")]
    [InlineData("/a[0]")]
    [InlineData("/é")]
    [InlineData("/%")]
    [InlineData("/%2")]
    [InlineData("/%zz")]
    [InlineData("/%2g")]
    [InlineData("/a%")]
    [InlineData("/search?q=1")]
    [InlineData("//evil.example/x")]
    public void UrlPath_NotAPlainAbsolutePath_Rejected(string value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.UrlPath(errors, "match.path", value));
        var message = Assert.Single(errors.MessagesAt("match.path"));
        Assert.Contains("(no query)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/search?q=1")]
    [InlineData("/search?q=1&r=2")]
    [InlineData("/search?")]
    [InlineData("/search?a=/b?c")]
    [InlineData("/search?q=%20")]
    public void UrlPath_QueryAllowed_QueryAccepted(string value)
    {
        var errors = new ValidationErrors();

        Assert.Equal(value, Grammar.UrlPath(errors, "healthCheck.http.path", value, allowQuery: true));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("/search?q=a b")]
    [InlineData("/search?q=1#top")]
    [InlineData("/search?q=%zz")]
    [InlineData("/search?q=\"x\"")]
    [InlineData("?q=1")]
    public void UrlPath_QueryAllowedButInvalid_Rejected(string value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.UrlPath(errors, "healthCheck.http.path", value, allowQuery: true));
        Assert.Equal(["healthCheck.http.path"], errors.Paths());
    }

    [Fact]
    public void UrlPath_LongerThanLimit_RejectedWithTheLimit()
    {
        var errors = new ValidationErrors();
        var atLimit = "/" + new string('a', Grammar.MaxPathLength - 1);

        Assert.Equal(atLimit, Grammar.UrlPath(errors, "ok", atLimit));
        Assert.Null(Grammar.UrlPath(errors, "path", atLimit + "a"));
        Assert.Equal(["path"], errors.Paths());
        Assert.Equal([$"must be at most {Grammar.MaxPathLength} characters."], errors.MessagesAt("path"));
    }

    [Fact]
    public void UrlPath_MissingAndRequired_IsRequired()
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.UrlPath(errors, "optional", null));
        Assert.Null(Grammar.UrlPath(errors, "path", null, required: true));
        Assert.Equal(["path"], errors.Paths());
    }

    [Theory]
    [InlineData("SERVERID")]
    [InlineData("session_id")]
    [InlineData("X-Forwarded-For")]
    [InlineData("a!$%&*+-.^_`|~z")]
    public void HttpToken_TokenCharacters_Accepted(string value)
    {
        var errors = new ValidationErrors();

        Assert.Equal(value, Grammar.HttpToken(errors, "cookieName", value));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("my cookie")]
    [InlineData("a=b")]
    [InlineData("a;b")]
    [InlineData("a,b")]
    [InlineData("\"quoted\"")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("(a)")]
    [InlineData("a\tb")]
    [InlineData("a\r\nSet-Cookie: x")]
    [InlineData("café")]
    [InlineData("it's")]
    [InlineData("a#b")]
    public void HttpToken_Separators_Rejected(string value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.HttpToken(errors, "cookieName", value));
        Assert.Equal(["cookieName"], errors.Paths());
    }

    [Fact]
    public void HttpToken_LongerThan64_Rejected()
    {
        var errors = new ValidationErrors();

        Assert.NotNull(Grammar.HttpToken(errors, "ok", new string('t', Grammar.MaxTokenLength)));
        Assert.Null(Grammar.HttpToken(errors, "cookieName", new string('t', Grammar.MaxTokenLength + 1)));
        Assert.Equal(["cookieName"], errors.Paths());
    }

    [Fact]
    public void HttpToken_MissingAndRequired_IsRequired()
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.HttpToken(errors, "optional", ""));
        Assert.Null(Grammar.HttpToken(errors, "cookieName", null, required: true));
        Assert.Equal(["cookieName"], errors.Paths());
    }

    [Theory]
    [InlineData("1.2.3.4", "1.2.3.4")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("10.0.0.10", "10.0.0.10")]
    [InlineData("::1", "::1")]
    [InlineData("::", "::")]
    [InlineData("2001:DB8:0:0::1", "2001:db8::1")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData("FE80::ABCD", "fe80::abcd")]
    [InlineData("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    public void IpAddress_StrictForm_ReturnedCanonical(string value, string expected)
    {
        var errors = new ValidationErrors();

        var address = Grammar.IpAddress(errors, "address", value);

        Assert.Equal(expected, address?.ToString());
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("127.1")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("0x7f000001")]
    [InlineData("2130706433")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.04")]
    [InlineData("00.0.0.0")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.999")]
    [InlineData("1.2.3.4 ")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4\n")]
    [InlineData("1.2.3.-4")]
    [InlineData("1.2.3.+4")]
    [InlineData("1..3.4")]
    [InlineData("1.2.3.4.")]
    [InlineData("١.٢.٣.٤")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%1")]
    [InlineData("[::1]")]
    [InlineData(" ::1")]
    [InlineData("::1 ")]
    [InlineData("1::2::3")]
    [InlineData(":::")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("2001:db8::g")]
    [InlineData("::ffff:127.1")]
    [InlineData("::ffff:01.2.3.4")]
    [InlineData("example.com")]
    [InlineData("localhost")]
    public void IpAddress_LenientOrAmbiguousForm_Rejected(string value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.IpAddress(errors, "address", value));
        Assert.Equal(["must be an IPv4 address (a.b.c.d) or an IPv6 address."], errors.MessagesAt("address"));
    }

    [Fact]
    public void IpAddress_Missing_RequiredUnlessOptional()
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.IpAddress(errors, "vip", null, required: false));
        Assert.Null(Grammar.IpAddress(errors, "address", ""));
        Assert.Equal(["address"], errors.Paths());
        Assert.Equal(["is required."], errors.MessagesAt("address"));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("198.18.10.77/24", "198.18.10.0/24")]
    [InlineData("192.0.2.255/25", "192.0.2.128/25")]
    [InlineData("192.0.2.7", "192.0.2.7/32")]
    [InlineData("192.0.2.7/32", "192.0.2.7/32")]
    [InlineData("203.0.113.9/0", "0.0.0.0/0")]
    [InlineData("2001:DB8::1/32", "2001:db8::/32")]
    [InlineData("2001:db8:aaaa:bbbb::1/48", "2001:db8:aaaa::/48")]
    [InlineData("2001:db8::ff/127", "2001:db8::fe/127")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("::/0", "::/0")]
    public void Cidr_Block_NormalisedWithHostBitsCleared(string value, string expected)
    {
        var errors = new ValidationErrors();

        var network = Grammar.Cidr(errors, "cidr", value);

        Assert.Equal(expected, network?.ToString());
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/08")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/8 ")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/0x8")]
    [InlineData("10.0.0.0/255.0.0.0")]
    [InlineData("10.0.0.0/1000")]
    [InlineData("2001:db8::/129")]
    [InlineData("2001:db8::/0128")]
    [InlineData("10/8")]
    [InlineData("010.0.0.0/8")]
    [InlineData("/8")]
    [InlineData("fe80::/10%eth0")]
    public void Cidr_BadAddressOrPrefix_Rejected(string value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Cidr(errors, "entries[0].cidr", value));
        Assert.Equal(["entries[0].cidr"], errors.Paths());
    }

    [Fact]
    public void Cidr_Missing_RequiredUnlessOptional()
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Cidr(errors, "optional", null, required: false));
        Assert.Null(Grammar.Cidr(errors, "cidr", ""));
        Assert.Equal(["cidr"], errors.Paths());
    }

    [Theory]
    [InlineData("10.1.2.3", 8, "10.0.0.0")]
    [InlineData("10.1.2.3", 0, "0.0.0.0")]
    [InlineData("10.1.2.3", 32, "10.1.2.3")]
    [InlineData("10.1.2.255", 30, "10.1.2.252")]
    [InlineData("2001:db8::ffff", 120, "2001:db8::ff00")]
    public void Mask_ClearsEveryBitPastThePrefix(string address, int prefix, string expected) =>
        Assert.Equal(expected, Grammar.Mask(IPAddress.Parse(address), prefix).ToString());

    [Theory]
    [InlineData(1)]
    [InlineData(80)]
    [InlineData(65535)]
    public void Port_InRange_Returned(int port)
    {
        var errors = new ValidationErrors();

        Assert.Equal(port, Grammar.Port(errors, "port", port));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    public void Port_OutOfRange_RejectedWithBounds(int port)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Port(errors, "port", port));
        Assert.Equal(["must be between 1 and 65535."], errors.MessagesAt("port"));
    }

    [Fact]
    public void Port_Missing_RequiredUnlessOptional()
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Port(errors, "redirect.port", null, required: false));
        Assert.Null(Grammar.Port(errors, "port", null));
        Assert.Equal(["port"], errors.Paths());
        Assert.Equal(["is required."], errors.MessagesAt("port"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(15)]
    [InlineData(20)]
    public void Range_WithinInclusiveBounds_Returned(int value)
    {
        var errors = new ValidationErrors();

        Assert.Equal(value, Grammar.Range(errors, "rise", value, 10, 20));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(21)]
    public void Range_OutsideBounds_RejectedWithBounds(int value)
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Range(errors, "rise", value, 10, 20));
        Assert.Equal(["must be between 10 and 20."], errors.MessagesAt("rise"));
    }

    [Fact]
    public void Required_MissingValues_IsRequiredAtEachPath()
    {
        var errors = new ValidationErrors();

        Assert.Null(Grammar.Required(errors, "projectId", null));
        Assert.Null(Grammar.Required(errors, "clusterId", ""));
        Assert.Null(Grammar.Required<int>(errors, "count", null));
        Assert.Equal("p-1", Grammar.Required(errors, "ok", "p-1"));
        Assert.Equal(3, Grammar.Required<int>(errors, "okCount", 3));
        Assert.Equal(["clusterId", "count", "projectId"], errors.Paths());
    }
}
