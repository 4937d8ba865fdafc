using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class ClustersTests
{
    [Fact]
    public void Normalize_MinimalCluster_VrrpDefaultsFilledIn()
    {
        var errors = new ValidationErrors();

        var cluster = new ClusterRequest("edge", null, new VrrpSpec(51, null, null, null), null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal("", cluster.Description);
        Assert.Equal(new VrrpSpec(51, 200, false, true), cluster.Vrrp);
        Assert.Empty(cluster.VipPools!);
    }

    [Fact]
    public void Normalize_VipPools_Normalised()
    {
        var errors = new ValidationErrors();
        var request = new ClusterRequest("edge", null, new VrrpSpec(51, null, null, null), ["198.18.10.77/24", "198.18.11.10-198.18.11.50", "2001:DB8::/64"]);

        var cluster = request.Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(["198.18.10.0/24", "198.18.11.10-198.18.11.50", "2001:db8::/64"], cluster.VipPools);
    }

    [Fact]
    public void Normalize_BadVipPools_ErrorAtEachIndex()
    {
        var errors = new ValidationErrors();
        var request = new ClusterRequest("edge", null, new VrrpSpec(51, null, null, null),
            ["198.18.10.0/24", "198.18.10.50-198.18.10.10", "198.18.10.10", "198.18.10.10-2001:db8::1", ""]);

        var cluster = request.Normalize(errors);

        Assert.Equal(["vipPools[1]", "vipPools[2]", "vipPools[3]", "vipPools[4]"], errors.Paths());
        Assert.Equal(["198.18.10.0/24"], cluster.VipPools);
    }

    [Fact]
    public void Normalize_TooManyVipPools_RejectedAsAWhole()
    {
        var errors = new ValidationErrors();
        var pools = Enumerable.Range(0, ClusterRequest.MaxVipPools + 1).Select(i => $"198.18.{i}.0/24").ToList();

        new ClusterRequest("edge", null, new VrrpSpec(51, null, null, null), pools).Normalize(errors);

        Assert.Equal(["vipPools"], errors.Paths());
    }

    [Fact]
    public void Normalize_VrrpMissing_Required()
    {
        var errors = new ValidationErrors();

        var cluster = new ClusterRequest("edge", null, null, null).Normalize(errors);

        Assert.Equal(["vrrp"], errors.Paths());
        Assert.Null(cluster.Vrrp);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(256)]
    public void Normalize_VirtualRouterIdMissingOrOutOfRange_Rejected(int? virtualRouterId)
    {
        var errors = new ValidationErrors();

        new ClusterRequest("edge", null, new VrrpSpec(virtualRouterId, null, null, null), null).Normalize(errors);

        Assert.Equal(["vrrp.virtualRouterId"], errors.Paths());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1_000)]
    [InlineData(40_950)]
    public void Normalize_AdvertIntervalInCentiseconds_Accepted(int advertIntervalMs)
    {
        var errors = new ValidationErrors();

        var cluster = new ClusterRequest("edge", null, new VrrpSpec(1, advertIntervalMs, true, false), null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new VrrpSpec(1, advertIntervalMs, true, false), cluster.Vrrp);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(201)]
    [InlineData(40_945)]
    public void Normalize_AdvertIntervalNotAMultipleOf10_Rejected(int advertIntervalMs)
    {
        var errors = new ValidationErrors();

        new ClusterRequest("edge", null, new VrrpSpec(1, advertIntervalMs, null, null), null).Normalize(errors);

        Assert.Equal(["vrrp.advertIntervalMs"], errors.Paths());
        Assert.Equal(["must be a multiple of 10 ms (VRRPv3 counts in centiseconds)."], errors.MessagesAt("vrrp.advertIntervalMs"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40_960)]
    [InlineData(50_000)]
    public void Normalize_AdvertIntervalOutOfRange_OnlyTheRangeReported(int advertIntervalMs)
    {
        var errors = new ValidationErrors();

        new ClusterRequest("edge", null, new VrrpSpec(1, advertIntervalMs, null, null), null).Normalize(errors);

        Assert.Equal(["must be between 10 and 40950."], errors.MessagesAt("vrrp.advertIntervalMs"));
    }
}
