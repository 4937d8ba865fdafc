using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class NodesTests
{
    [Fact]
    public void Normalize_ValidUpdate_Kept()
    {
        var errors = new ValidationErrors();

        var update = new NodeUpdateRequest("lb-a", "eth1", 254).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new NodeUpdateRequest("lb-a", "eth1", 254), update);
    }

    [Fact]
    public void Normalize_EmptyUpdate_EveryFieldRequired()
    {
        var errors = new ValidationErrors();

        new NodeUpdateRequest(null, null, null).Normalize(errors);

        Assert.Equal(["interface", "name", "priority"], errors.Paths());
    }
}
