using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class ProjectsTests
{
    [Fact]
    public void Normalize_NameAndDescription_Kept()
    {
        var errors = new ValidationErrors();

        var project = new ProjectRequest("Shop 🛒", "Checkout and cart").Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new ProjectRequest("Shop 🛒", "Checkout and cart", ProjectQuotas.Defaults), project);
    }

    [Fact]
    public void Normalize_InvisibleCharacters_ErrorPerField()
    {
        var errors = new ValidationErrors();

        new ProjectRequest("shop\u200B", "line\u2028break").Normalize(errors);

        Assert.Equal(["description", "name"], errors.Paths());
    }
}
