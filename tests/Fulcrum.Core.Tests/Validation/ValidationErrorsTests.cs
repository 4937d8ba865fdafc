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

    [Fact]
    public void ToDictionary_MoreThanMaxListed_ListsTheFirstAndCountsTheRest()
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < ValidationErrors.MaxListed + 25; i++)
        {
            errors.Add($"entries[{i:D4}].cidr", "must be a CIDR block.");
        }

        Assert.Equal(ValidationErrors.MaxListed, errors.ToDictionary().Count);
        Assert.Equal("entries[0000].cidr", errors.ToDictionary().Keys.First());
        Assert.Equal(ValidationErrors.MaxListed + 25, errors.Count);
        Assert.Equal(25, errors.Unlisted);
    }

    /// <summary>
    /// Work measured as bytes allocated on this thread (deterministic, unlike a clock): checking whether an entry
    /// already has an error once cost a scan of every error so far, so twice the entries cost four times the work.
    /// </summary>
    [Fact]
    public void AddAndHas_TwiceTheEntries_AboutTwiceTheWork()
    {
        var small = AllocatedFor(2_000);
        var large = AllocatedFor(4_000);

        Assert.InRange((double)large / small, 1.5, 2.6);
    }

    private static long AllocatedFor(int entries)
    {
        var paths = Enumerable.Range(0, entries).Select(i => (Cidr: $"entries[{i}].cidr", Comment: $"entries[{i}].comment")).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var errors = new ValidationErrors();
        foreach (var (cidr, comment) in paths)
        {
            errors.Add(cidr, "must be a CIDR block.");
            Assert.False(errors.Has(comment));
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
