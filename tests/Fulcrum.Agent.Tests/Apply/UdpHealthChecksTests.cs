using Fulcrum.Agent.Apply;

namespace Fulcrum.Agent.Tests.Apply;

public sealed class UdpHealthChecksTests
{
    [Theory]
    [InlineData("200-399", 200, true)]
    [InlineData("200-399", 399, true)]
    [InlineData("200-399", 404, false)]
    [InlineData("200,204", 204, true)]
    [InlineData("200,204", 201, false)]
    [InlineData("200,300-302", 301, true)]
    public void Expected_StatusAgainstCodeList_MatchesSinglesAndRanges(string codes, int status, bool expected) =>
        Assert.Equal(expected, UdpHealthChecks.Expected(codes, status));
}
