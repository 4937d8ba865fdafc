using System.Net;
using System.Net.Sockets;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Validation;

public sealed class VipPoolTests
{
    [Theory]
    [InlineData("198.18.10.0/24", "198.18.10.1", "198.18.10.254", "198.18.10.0/24")]
    [InlineData("198.18.10.77/24", "198.18.10.1", "198.18.10.254", "198.18.10.0/24")]
    [InlineData("198.18.10.0/30", "198.18.10.1", "198.18.10.2", "198.18.10.0/30")]
    [InlineData("198.18.10.0/31", "198.18.10.0", "198.18.10.1", "198.18.10.0/31")]
    [InlineData("198.18.10.9/32", "198.18.10.9", "198.18.10.9", "198.18.10.9/32")]
    [InlineData("198.18.0.0/15", "198.18.0.1", "198.19.255.254", "198.18.0.0/15")]
    [InlineData("0.0.0.0/0", "0.0.0.1", "255.255.255.254", "0.0.0.0/0")]
    public void TryParse_Ipv4Cidr_SkipsNetworkAndBroadcastAddresses(string text, string first, string last, string normalized)
    {
        Assert.True(VipPool.TryParse(text, out var pool));

        Assert.Equal(IPAddress.Parse(first), pool.First);
        Assert.Equal(IPAddress.Parse(last), pool.Last);
        Assert.Equal(normalized, pool.ToString());
        Assert.Equal(AddressFamily.InterNetwork, pool.Family);
    }

    [Theory]
    [InlineData("2001:db8::/126", "2001:db8::", "2001:db8::3", "2001:db8::/126")]
    [InlineData("2001:DB8:0:0::5/128", "2001:db8::5", "2001:db8::5", "2001:db8::5/128")]
    [InlineData("2001:db8:1::/64", "2001:db8:1::", "2001:db8:1::ffff:ffff:ffff:ffff", "2001:db8:1::/64")]
    [InlineData("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0")]
    public void TryParse_Ipv6Cidr_CoversTheWholeBlock(string text, string first, string last, string normalized)
    {
        Assert.True(VipPool.TryParse(text, out var pool));

        Assert.Equal(IPAddress.Parse(first), pool.First);
        Assert.Equal(IPAddress.Parse(last), pool.Last);
        Assert.Equal(normalized, pool.ToString());
        Assert.Equal(AddressFamily.InterNetworkV6, pool.Family);
    }

    [Theory]
    [InlineData("198.18.10.10-198.18.10.50", "198.18.10.10", "198.18.10.50", "198.18.10.10-198.18.10.50")]
    [InlineData("198.18.10.0-198.18.10.255", "198.18.10.0", "198.18.10.255", "198.18.10.0-198.18.10.255")]
    [InlineData("198.18.10.7-198.18.10.7", "198.18.10.7", "198.18.10.7", "198.18.10.7-198.18.10.7")]
    [InlineData("2001:DB8::10-2001:db8:0:0::20", "2001:db8::10", "2001:db8::20", "2001:db8::10-2001:db8::20")]
    public void TryParse_Range_KeepsBothEndsAndNormalisesText(string text, string first, string last, string normalized)
    {
        Assert.True(VipPool.TryParse(text, out var pool));

        Assert.Equal(IPAddress.Parse(first), pool.First);
        Assert.Equal(IPAddress.Parse(last), pool.Last);
        Assert.Equal(normalized, pool.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("198.18.10.10")]
    [InlineData("2001:db8::1")]
    [InlineData("198.18.10.50-198.18.10.10")]
    [InlineData("2001:db8::20-2001:db8::10")]
    [InlineData("198.18.10.10-2001:db8::10")]
    [InlineData("2001:db8::10-198.18.10.10")]
    [InlineData("198.18.10.10-")]
    [InlineData("-198.18.10.10")]
    [InlineData("198.18.10.10 - 198.18.10.50")]
    [InlineData("198.18.10.10-198.18.10.20-198.18.10.30")]
    [InlineData("198.18.10.0/33")]
    [InlineData("198.18.10/24")]
    [InlineData("0x7f.0.0.1/8")]
    [InlineData("pool-a")]
    public void TryParse_NotAPool_Rejected(string? text) =>
        Assert.False(VipPool.TryParse(text, out _));

    [Fact]
    public void Addresses_Ipv4Cidr_InOrderWithoutNetworkAndBroadcast()
    {
        Assert.True(VipPool.TryParse("198.18.10.0/29", out var pool));

        Assert.Equal(
            ["198.18.10.1", "198.18.10.2", "198.18.10.3", "198.18.10.4", "198.18.10.5", "198.18.10.6"],
            pool.Addresses().Select(address => address.ToString()));
    }

    [Fact]
    public void Addresses_RangeAcrossAnOctet_InNumericOrder()
    {
        Assert.True(VipPool.TryParse("198.18.10.254-198.18.11.1", out var pool));

        Assert.Equal(
            ["198.18.10.254", "198.18.10.255", "198.18.11.0", "198.18.11.1"],
            pool.Addresses().Select(address => address.ToString()));
    }

    [Fact]
    public void Addresses_Ipv6Block_EnumeratedLazily()
    {
        Assert.True(VipPool.TryParse("2001:db8::/64", out var pool));

        Assert.Equal(
            ["2001:db8::", "2001:db8::1", "2001:db8::2"],
            pool.Addresses().Take(3).Select(address => address.ToString()));
    }

    [Fact]
    public void Addresses_RangeEndingAtTheLastIpv6Address_Terminates()
    {
        Assert.True(VipPool.TryParse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", out var pool));

        Assert.Equal(
            ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
            pool.Addresses().Select(address => address.ToString()));
    }

    [Theory]
    [InlineData("198.18.10.1", true)]
    [InlineData("198.18.10.254", true)]
    [InlineData("198.18.10.100", true)]
    [InlineData("198.18.10.0", false)]
    [InlineData("198.18.10.255", false)]
    [InlineData("198.18.11.1", false)]
    [InlineData("::ffff:198.18.10.100", false)]
    [InlineData("2001:db8::1", false)]
    public void Contains_Ipv4Cidr_OnlyHandedOutAddressesOfTheSameFamily(string address, bool expected)
    {
        Assert.True(VipPool.TryParse("198.18.10.0/24", out var pool));

        Assert.Equal(expected, pool.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("2001:db8::10", true)]
    [InlineData("2001:db8::20", true)]
    [InlineData("2001:db8::f", false)]
    [InlineData("2001:db8::21", false)]
    [InlineData("198.18.10.16", false)]
    public void Contains_Ipv6Range_InclusiveEnds(string address, bool expected)
    {
        Assert.True(VipPool.TryParse("2001:db8::10-2001:db8::20", out var pool));

        Assert.Equal(expected, pool.Contains(IPAddress.Parse(address)));
    }
}
