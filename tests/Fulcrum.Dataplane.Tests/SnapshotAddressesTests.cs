using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane.Haproxy;
using Fulcrum.Dataplane.Keepalived;
using Fulcrum.Dataplane.Nginx;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests;

/// <summary>The address policy as a second line of defence: a snapshot that bypassed the API is refused by every renderer.</summary>
public sealed class SnapshotAddressesTests
{
    private static readonly Dictionary<string, Func<ClusterSnapshot, NodeFacts, IReadOnlyList<RenderedFile>>> Renderers = new()
    {
        ["haproxy"] = (snapshot, facts) => HaproxyRenderer.Render(snapshot, facts, Golden.Directory),
        ["nginx"] = (snapshot, facts) => NginxRenderer.Render(snapshot, facts, Golden.Directory, new HashSet<string>()),
        ["keepalived"] = (snapshot, facts) => KeepalivedRenderer.Render(snapshot, facts, Golden.Directory),
    };

    public static TheoryData<string, string> BadVips()
    {
        var data = new TheoryData<string, string>();
        foreach (var renderer in Renderers.Keys)
        {
            foreach (var vip in new[] { "0.0.0.0", "127.0.0.1", "255.255.255.255", "224.0.0.18", "169.254.1.51", "::", "::1", "ff02::12", "::ffff:198.18.20.2" })
            {
                data.Add(renderer, vip);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadVips))]
    public void Render_VipOfARefusedClass_RefusedNamingTheField(string renderer, string vip)
    {
        var snapshot = Snapshot();
        var bad = snapshot with { LoadBalancers = [snapshot.LoadBalancers[0] with { Vip = vip }, .. snapshot.LoadBalancers.Skip(1)] };

        var refused = Assert.Throws<RenderRefusedException>(() => Renderers[renderer](bad, Golden.Facts));

        Assert.Equal(["loadBalancers[0].vip"], refused.Errors.ToDictionary().Keys);
        Assert.Contains("a VIP must be a unicast address", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("haproxy")]
    [InlineData("nginx")]
    [InlineData("keepalived")]
    public void Render_VipThatIsANodesAddress_Refused(string renderer)
    {
        var snapshot = Snapshot();
        var bad = snapshot with { LoadBalancers = [snapshot.LoadBalancers[0] with { Vip = snapshot.Nodes[0].Address }, .. snapshot.LoadBalancers.Skip(1)] };

        var refused = Assert.Throws<RenderRefusedException>(() => Renderers[renderer](bad, Golden.Facts));

        Assert.Equal(["loadBalancers[0].vip"], refused.Errors.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("haproxy", "127.0.0.1")]
    [InlineData("haproxy", "169.254.169.254")]
    [InlineData("haproxy", "node")]
    [InlineData("nginx", "::1")]
    [InlineData("nginx", "224.0.0.1")]
    [InlineData("keepalived", "0.0.0.0")]
    public void Render_BackendOfARefusedClass_Refused(string renderer, string address)
    {
        var snapshot = Snapshot();
        var bad = WithBackend(snapshot, address == "node" ? snapshot.Nodes[0].Address : address);

        var refused = Assert.Throws<RenderRefusedException>(() => Renderers[renderer](bad, Golden.Facts));

        Assert.Equal(["loadBalancers[0].backendGroups[0].backends[0].address"], refused.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Render_LoopbackBackendInsideTheAllowedRanges_Rendered()
    {
        var snapshot = WithBackend(Snapshot(), "127.0.0.1") with { BackendAllowedRanges = ["127.0.0.0/8"] };

        var config = HaproxyRenderer.Render(snapshot, Golden.Facts, Golden.Directory)[0].Content;

        Assert.Contains("127.0.0.1:", config, StringComparison.Ordinal);
    }

    private static ClusterSnapshot Snapshot() => Golden.Snapshot("haproxy", "minimal-http");

    private static ClusterSnapshot WithBackend(ClusterSnapshot snapshot, string address)
    {
        var lb = snapshot.LoadBalancers[0];
        var group = lb.BackendGroups[0];
        return snapshot with
        {
            LoadBalancers = [lb with { BackendGroups = [group with { Backends = [group.Backends[0] with { Address = address }, .. group.Backends.Skip(1)] }, .. lb.BackendGroups.Skip(1)] }],
        };
    }
}
