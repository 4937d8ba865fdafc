using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Validation;

public sealed class ExpectedCodesTests
{
    [Theory]
    [InlineData("200")]
    [InlineData("200,204")]
    [InlineData("200-399")]
    [InlineData("100-599")]
    [InlineData("200,301-308,404")]
    [InlineData("204-204")]
    public void Normalize_CodesAndRanges_Accepted(string value)
    {
        var errors = new ValidationErrors();

        Assert.Equal(value, ExpectedCodes.Normalize(errors, "healthCheck.http.expectedCodes", value));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("99")]
    [InlineData("099")]
    [InlineData("600")]
    [InlineData("2000")]
    [InlineData("20x")]
    [InlineData("200, 204")]
    [InlineData(" 200")]
    [InlineData("200,")]
    [InlineData(",200")]
    [InlineData("200,,204")]
    [InlineData("399-200")]
    [InlineData("200-")]
    [InlineData("-200")]
    [InlineData("200-300-400")]
    [InlineData("2xx")]
    [InlineData("+200")]
    [InlineData("٢٠٠")]
    public void Normalize_NotAStatusList_RejectedAtThePath(string value)
    {
        var errors = new ValidationErrors();

        Assert.Null(ExpectedCodes.Normalize(errors, "healthCheck.http.expectedCodes", value));
        Assert.Equal(["healthCheck.http.expectedCodes"], errors.Paths());
    }

    [Fact]
    public void Normalize_TwentyParts_AcceptedAndTwentyOneRejected()
    {
        var errors = new ValidationErrors();
        var twenty = string.Join(',', Enumerable.Range(200, 20));
        var twentyOne = string.Join(',', Enumerable.Range(200, 21));

        Assert.Equal(twenty, ExpectedCodes.Normalize(errors, "ok", twenty));
        Assert.Null(ExpectedCodes.Normalize(errors, "expectedCodes", twentyOne));
        Assert.Equal(["expectedCodes"], errors.Paths());
    }
}
