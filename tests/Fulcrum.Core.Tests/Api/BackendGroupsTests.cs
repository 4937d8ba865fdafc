using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class BackendGroupsTests
{
    [Fact]
    public void Normalize_Valid_DescriptionDefaulted()
    {
        var errors = new ValidationErrors();

        var group = new BackendGroupRequest("lb-1", "app", null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new BackendGroupRequest("lb-1", "app", ""), group);
    }

    [Fact]
    public void Normalize_EmptyRequest_RequiredFieldsReported()
    {
        var errors = new ValidationErrors();

        new BackendGroupRequest(null, null, null).Normalize(errors);

        Assert.Equal(["loadBalancerId", "name"], errors.Paths());
    }
}
