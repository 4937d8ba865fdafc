using Fulcrum.Dataplane.Keepalived;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Keepalived;

public sealed class KeepalivedRendererTests
{
    public static TheoryData<string> Cases => Golden.Cases("keepalived");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Render_GoldenCase_MatchesExpectedFilesAndKeepalivedAcceptsThem(string name)
    {
        var snapshot = Golden.Snapshot("keepalived", name);

        var files = KeepalivedRenderer.Render(snapshot, Golden.Facts, Golden.Directory);

        Golden.AssertMatches("keepalived", name, files);
        await KeepalivedCheck.AssertAcceptsAsync(snapshot, Golden.Facts);
    }

    [Fact]
    public async Task Render_EveryNodeOfTheCluster_PeersWithTheOthersAndKeepalivedAcceptsIt()
    {
        var snapshot = Golden.Snapshot("keepalived", "two-nodes-unicast-nopreempt");

        foreach (var node in snapshot.Nodes)
        {
            var facts = Golden.Facts with { NodeId = node.Id };
            var text = Assert.Single(KeepalivedRenderer.Render(snapshot, facts, Golden.Directory)).Content;

            Assert.Contains($"    unicast_src_ip {node.Address}\n", text, StringComparison.Ordinal);
            Assert.Contains($"    priority {node.Priority}\n", text, StringComparison.Ordinal);
            foreach (var peer in snapshot.Nodes.Where(n => n != node))
            {
                Assert.Contains($"        {peer.Address}\n", text, StringComparison.Ordinal);
            }

            Assert.DoesNotContain($"        {node.Address}\n", text, StringComparison.Ordinal);
            await KeepalivedCheck.AssertAcceptsAsync(snapshot, facts);
        }
    }

    [Fact]
    public void Render_SameSnapshotForAnotherGeneration_GivesTheSameText()
    {
        var snapshot = Golden.Snapshot("keepalived", "ipv4-and-ipv6-vips");

        var first = KeepalivedRenderer.Render(snapshot, Golden.Facts, Golden.Directory);
        var second = KeepalivedRenderer.Render(snapshot with { Revision = snapshot.Revision + 1 }, Golden.Facts, "/var/lib/fulcrum/generations/8");

        Assert.Equal(first, second);
    }

    /// <summary>Maintenance and failovers travel through the standby file: moving the VIPs reloads nothing.</summary>
    [Fact]
    public void Render_NodeStandingAside_GivesTheSameText_AndTracksTheStandbyFile()
    {
        var snapshot = Golden.Snapshot("keepalived", "two-nodes-unicast-nopreempt");
        var standby = snapshot with { Nodes = [.. snapshot.Nodes.Select(n => n with { Standby = true })] };

        var text = Assert.Single(KeepalivedRenderer.Render(snapshot, Golden.Facts, Golden.Directory)).Content;

        Assert.Equal(text, Assert.Single(KeepalivedRenderer.Render(standby, Golden.Facts, Golden.Directory)).Content);
        Assert.Contains($"    file \"{Golden.Facts.Runtime}/{KeepalivedRenderer.StandbyFile}\"\n", text, StringComparison.Ordinal);
        Assert.Contains("    track_file {\n        fulcrum_agent\n        fulcrum_standby\n    }\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NodeMissingFromTheSnapshot_IsRefusedNamingIt()
    {
        var snapshot = Golden.Snapshot("keepalived", "two-nodes-unicast-nopreempt");

        var error = Assert.Throws<RenderRefusedException>(() =>
            KeepalivedRenderer.Render(snapshot, Golden.Facts with { NodeId = "node-gone" }, Golden.Directory));

        Assert.Contains("node-gone", error.Message, StringComparison.Ordinal);
        Assert.Contains(snapshot.ClusterId, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Adverts carry one fixed address, whatever the VIPs: were they advertised, nodes that applied a change a moment
    /// apart would drop each other's adverts and both hold every VIP.
    /// </summary>
    [Fact]
    public void Render_VipsAddedOrRemoved_AdvertisedAddressesStayTheSame()
    {
        var snapshot = Golden.Snapshot("keepalived", "two-nodes-unicast-nopreempt");
        var fewer = snapshot with { LoadBalancers = snapshot.LoadBalancers.Take(1).ToList() };

        var all = Assert.Single(KeepalivedRenderer.Render(snapshot, Golden.Facts, Golden.Directory)).Content;
        var one = Assert.Single(KeepalivedRenderer.Render(fewer, Golden.Facts, Golden.Directory)).Content;

        Assert.Equal(Advertised(all), Advertised(one));
        Assert.Equal("    virtual_ipaddress {\n        169.254.1.51/32 dev eth0 # advertised; never a load balancer's\n    }\n", Advertised(all));
        Assert.Contains("        198.18.99.11/24 dev eth0 # lb-api\n", all, StringComparison.Ordinal);
        Assert.DoesNotContain("198.18.99.11", one, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_UnicastWithOnlyVipsOfTheOtherFamily_AdvertisesInTheNodesFamily()
    {
        var snapshot = Golden.Snapshot("keepalived", "ipv4-and-ipv6-vips");
        var ipv6Only = snapshot with { LoadBalancers = snapshot.LoadBalancers.Where(lb => lb.Vip.Contains(':', StringComparison.Ordinal)).ToList() };

        var text = Assert.Single(KeepalivedRenderer.Render(ipv6Only, Golden.Facts, Golden.Directory)).Content;

        Assert.Contains("        169.254.1.", Advertised(text), StringComparison.Ordinal);
        Assert.Contains("    virtual_ipaddress_excluded {\n        2001:db8:99::10/64 dev eth0 # lb-dual6\n        2001:db8:99::11/128 dev eth0 # lb-only6\n    }\n", text, StringComparison.Ordinal);
        await KeepalivedCheck.AssertAcceptsAsync(ipv6Only, Golden.Facts);
    }

    [Fact]
    public async Task Render_MulticastWithOnlyVipsOfTheOtherFamily_AdvertisesInTheNodesFamily()
    {
        var snapshot = Golden.Snapshot("keepalived", "ipv4-and-ipv6-vips");
        var ipv6Only = snapshot with
        {
            Vrrp = snapshot.Vrrp with { Unicast = false },
            LoadBalancers = snapshot.LoadBalancers.Where(lb => lb.Vip.Contains(':', StringComparison.Ordinal)).ToList(),
        };

        var text = Assert.Single(KeepalivedRenderer.Render(ipv6Only, Golden.Facts, Golden.Directory)).Content;

        Assert.Contains("        169.254.1.", Advertised(text), StringComparison.Ordinal);
        Assert.Contains("    virtual_ipaddress_excluded {\n        2001:db8:99::10/64 dev eth0 # lb-dual6\n        2001:db8:99::11/128 dev eth0 # lb-only6\n    }\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unicast", text, StringComparison.Ordinal);
        await KeepalivedCheck.AssertAcceptsAsync(ipv6Only, Golden.Facts);
    }

    [Fact]
    public void Render_UnicastNodesOfBothFamilies_IsRefused()
    {
        var snapshot = Golden.Snapshot("keepalived", "two-nodes-unicast-nopreempt");
        var mixed = snapshot with { Nodes = [snapshot.Nodes[0] with { Address = "2001:db8::12" }, snapshot.Nodes[1]] };

        var error = Assert.Throws<RenderRefusedException>(() => KeepalivedRenderer.Render(mixed, Golden.Facts, Golden.Directory));

        Assert.Contains("mix IPv4 and IPv6", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, "0.01")]
    [InlineData(200, "0.2")]
    [InlineData(250, "0.25")]
    [InlineData(1000, "1")]
    [InlineData(40950, "40.95")]
    public void Render_AdvertInterval_IsWrittenInSecondsToTheCentisecond(int milliseconds, string seconds)
    {
        var snapshot = Golden.Snapshot("keepalived", "two-nodes-unicast-nopreempt");

        var text = Assert.Single(KeepalivedRenderer.Render(snapshot with { Vrrp = snapshot.Vrrp with { AdvertIntervalMs = milliseconds } }, Golden.Facts, Golden.Directory)).Content;

        Assert.Contains($"    advert_int {seconds}\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(205)]
    [InlineData(40960)]
    public void Render_AdvertIntervalKeepalivedCannotCarry_IsRefused(int milliseconds)
    {
        var snapshot = Golden.Snapshot("keepalived", "two-nodes-unicast-nopreempt");

        var error = Assert.Throws<RenderRefusedException>(() =>
            KeepalivedRenderer.Render(snapshot with { Vrrp = snapshot.Vrrp with { AdvertIntervalMs = milliseconds } }, Golden.Facts, Golden.Directory));

        Assert.StartsWith("vrrp.advertIntervalMs", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The <c>virtual_ipaddress</c> block: what the adverts carry.</summary>
    private static string Advertised(string text)
    {
        var start = text.IndexOf("    virtual_ipaddress {\n", StringComparison.Ordinal);
        Assert.True(start >= 0, text);
        return text[start..(text.IndexOf("    }\n", start, StringComparison.Ordinal) + "    }\n".Length)];
    }
}
