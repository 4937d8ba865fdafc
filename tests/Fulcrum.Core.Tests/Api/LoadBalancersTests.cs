using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class LoadBalancersTests
{
    [Fact]
    public void Normalize_WithoutVip_LeftToThePoolAndEnabled()
    {
        var errors = new ValidationErrors();

        var lb = new LoadBalancerRequest("prj-1", "cl-1", "shop", null, null, null, null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new LoadBalancerRequest("prj-1", "cl-1", "shop", "", null, null, true), lb);
    }

    [Fact]
    public void Normalize_Ipv6VipWithPrefix64_Canonical()
    {
        var errors = new ValidationErrors();

        var lb = new LoadBalancerRequest("prj-1", "cl-1", "shop", null, "2001:DB8:0:0::80", 64, false).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal("2001:db8::80", lb.Vip);
        Assert.Equal(64, lb.VipPrefixLength);
        Assert.False(lb.Enabled);
    }

    [Theory]
    [InlineData("198.18.10.5", 0)]
    [InlineData("198.18.10.5", 33)]
    [InlineData("2001:db8::80", 129)]
    [InlineData(null, 129)]
    public void Normalize_PrefixLengthBeyondTheFamily_Rejected(string? vip, int prefix)
    {
        var errors = new ValidationErrors();

        new LoadBalancerRequest("prj-1", "cl-1", "shop", null, vip, prefix, null).Normalize(errors);

        Assert.Equal(["vipPrefixLength"], errors.Paths());
    }

    [Theory]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("fe80::1%eth0")]
    public void Normalize_VipNotAStrictIp_Rejected(string vip)
    {
        var errors = new ValidationErrors();

        new LoadBalancerRequest("prj-1", "cl-1", "shop", null, vip, null, null).Normalize(errors);

        Assert.Equal(["vip"], errors.Paths());
    }

    [Fact]
    public void Normalize_EmptyRequest_RequiredFieldsReported()
    {
        var errors = new ValidationErrors();

        new LoadBalancerRequest(null, null, null, null, null, null, null).Normalize(errors);

        Assert.Equal(["clusterId", "name", "projectId"], errors.Paths());
    }
}
