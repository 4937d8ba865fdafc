using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class JoinTokensTests
{
    [Fact]
    public void Normalize_WithoutTtl_OneDay()
    {
        var errors = new ValidationErrors();

        var token = new JoinTokenRequest("cl-1", null, null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new JoinTokenRequest("cl-1", "", 86_400, 1), token);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(2_592_001)]
    public void Normalize_TtlOutOfRange_Rejected(int ttl)
    {
        var errors = new ValidationErrors();

        new JoinTokenRequest("cl-1", null, ttl).Normalize(errors);

        Assert.Equal(["ttlSeconds"], errors.Paths());
    }

    [Fact]
    public void Normalize_WithoutCluster_Required()
    {
        var errors = new ValidationErrors();

        new JoinTokenRequest(null, null, 60).Normalize(errors);

        Assert.Equal(["clusterId"], errors.Paths());
    }
}
