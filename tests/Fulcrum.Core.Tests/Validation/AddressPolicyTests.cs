using System.Net;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Validation;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("198.18.10.1")]
    [InlineData("203.0.113.7")]
    [InlineData("10.0.0.1")]
    [InlineData("2001:db8::10")]
    [InlineData("fd00::1")]
    public void VipProblem_UnicastAddress_None(string address) =>
        Assert.Null(AddressPolicy.VipProblem(IPAddress.Parse(address)));

    [Theory]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("169.254.1.51", "link-local")]
    [InlineData("fe80::1:33", "link-local")]
    [InlineData("224.0.0.18", "multicast")]
    [InlineData("ff02::12", "multicast")]
    [InlineData("255.255.255.255", "broadcast or reserved")]
    [InlineData("::ffff:198.18.20.2", "IPv4-mapped IPv6")]
    [InlineData("::", "unspecified")]
    public void VipProblem_RefusedClass_NamesTheClass(string address, string name) =>
        Assert.StartsWith($"is a {name} address", AddressPolicy.VipProblem(IPAddress.Parse(address)), StringComparison.Ordinal);

    [Fact]
    public void BackendProblem_AllowedRange_LiftsLoopbackLinkLocalAndNodesOnly()
    {
        IPNetwork[] allowed = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("198.18.0.0/24"), IPNetwork.Parse("224.0.0.0/4")];
        IPAddress[] nodes = [IPAddress.Parse("198.18.0.11")];

        Assert.Null(AddressPolicy.BackendProblem(IPAddress.Parse("127.0.0.1"), allowed, nodes));
        Assert.Null(AddressPolicy.BackendProblem(IPAddress.Parse("169.254.169.254"), allowed, nodes));
        Assert.Null(AddressPolicy.BackendProblem(IPAddress.Parse("198.18.0.11"), allowed, nodes));
        Assert.NotNull(AddressPolicy.BackendProblem(IPAddress.Parse("224.0.0.1"), allowed, nodes));
        Assert.NotNull(AddressPolicy.BackendProblem(IPAddress.Parse("198.18.0.11"), [], nodes));
        Assert.NotNull(AddressPolicy.BackendProblem(IPAddress.Parse("127.0.0.1"), [], nodes));
        Assert.Null(AddressPolicy.BackendProblem(IPAddress.Parse("198.18.0.12"), [], nodes));
    }

    [Theory]
    [InlineData("198.18.10.0/24", true)]
    [InlineData("126.255.255.0-127.0.0.1", false)]
    [InlineData("169.254.0.0/16", false)]
    [InlineData("2001:db8::/64", true)]
    [InlineData("fe80::/64", false)]
    public void PoolProblem_PoolReachingIntoARefusedClass_Refused(string text, bool fine)
    {
        Assert.True(VipPool.TryParse(text, out var pool));

        Assert.Equal(fine, AddressPolicy.PoolProblem(pool) is null);
    }
}
