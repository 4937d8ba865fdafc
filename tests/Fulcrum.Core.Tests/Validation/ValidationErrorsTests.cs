using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Validation;

public sealed class ValidationErrorsTests
{
    [Fact]
    public void Add_SeveralFields_EveryErrorKept()
    {
        var errors = new ValidationErrors();

        errors.Add("name", "is required.");
        errors.Add("port", "must be between 1 and 65535.");
        errors.Add("port", "is already used by listener 'web'.");

        Assert.False(errors.IsEmpty);
        Assert.Equal(["name", "port"], errors.Paths());
        Assert.Equal(["must be between 1 and 65535.", "is already used by listener 'web'."], errors.MessagesAt("port"));
    }

    [Fact]
    public void Add_SameMessageTwice_ReportedOnce()
    {
        var errors = new ValidationErrors();

        errors.Add("name", "is required.");
        errors.Add("name", "is required.");

        Assert.Equal(["is required."], errors.MessagesAt("name"));
    }

    [Fact]
    public void IsEmpty_NothingAdded_True() =>
        Assert.True(new ValidationErrors().IsEmpty);

    [Fact]
    public void AddFinal_LaterMessagesForThatPath_Suppressed()
    {
        var errors = new ValidationErrors();

        errors.AddFinal("port", "must be a number.");
        errors.Add("port", "is required.");
        errors.AddFinal("port", "must be an integer.");

        Assert.Equal(["must be a number."], errors.MessagesAt("port"));
    }

    [Fact]
    public void AddFinal_OtherPaths_StillRecorded()
    {
        var errors = new ValidationErrors();

        errors.AddFinal("port", "must be a number.");
        errors.Add("port.extra", "is unknown.");
        errors.Add("name", "is required.");

        Assert.Equal(["name", "port", "port.extra"], errors.Paths());
    }

    [Fact]
    public void AddFinal_AfterEarlierMessages_KeepsThemAndStopsNewOnes()
    {
        var errors = new ValidationErrors();

        errors.Add("port", "first.");
        errors.AddFinal("port", "must be a number.");
        errors.Add("port", "is required.");

        Assert.Equal(["first.", "must be a number."], errors.MessagesAt("port"));
    }

    [Theory]
    [InlineData("healthCheck", true)]
    [InlineData("healthCheck.http", true)]
    [InlineData("healthCheck.http.path", true)]
    [InlineData("healthCheck.http.pat", false)]
    [InlineData("healthCheck.ht", false)]
    [InlineData("health", false)]
    [InlineData("entries", true)]
    [InlineData("entries[2]", true)]
    [InlineData("entries[2].cidr", true)]
    [InlineData("entries[1]", false)]
    [InlineData("entriesX", false)]
    [InlineData("name", false)]
    public void Has_FieldOrAnythingBelowIt_True(string path, bool expected)
    {
        var errors = new ValidationErrors();
        errors.Add("healthCheck.http.path", "must be a URL path.");
        errors.Add("entries[2].cidr", "must be a CIDR block.");

        Assert.Equal(expected, errors.Has(path));
    }

    [Fact]
    public void ToDictionary_ReturnsACopy_LaterAddsDoNotChangeIt()
    {
        var errors = new ValidationErrors();
        errors.Add("name", "is required.");

        var snapshot = errors.ToDictionary();
        errors.Add("name", "another.");
        errors.Add("port", "is required.");

        Assert.Equal(["name"], snapshot.Keys);
        Assert.Equal(["is required."], snapshot["name"]);
    }

    [Fact]
    public void ThrowIfAny_NoErrors_DoesNotThrow() =>
        Assert.Null(Record.Exception(new ValidationErrors().ThrowIfAny));

    [Fact]
    public void ThrowIfAny_WithErrors_ThrowsNamingEveryPath()
    {
        var errors = new ValidationErrors();
        errors.Add("port", "is required.");
        errors.Add("name", "is required.");

        var exception = Assert.Throws<ValidationFailedException>(errors.ThrowIfAny);

        Assert.Same(errors, exception.Errors);
        Assert.Equal("The request has invalid fields: name, port", exception.Message);
    }

    [Fact]
    public void ValidationFailedException_For_HoldsTheOneError()
    {
        var exception = ValidationFailedException.For("vip", "is already used.");

        Assert.Equal(["is already used."], exception.Errors.MessagesAt("vip"));
        Assert.Equal(["vip"], exception.Errors.Paths());
    }
}
