using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane.Keepalived;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Keepalived;

/// <summary>
/// Every string that reaches keepalived.conf, fed text that would break out of its place (keepalived also reads
/// '!' comments, '$NAME' parameters, '@id' conditions and quotes inside a script line), as a snapshot that bypassed
/// the API could carry it. The renderer must refuse it without repeating it, or write something keepalived accepts.
/// </summary>
public sealed class KeepalivedHostileInputTests
{
    private static readonly string[] Hostile =
    [
        "\n  bind *:80",
        "x\n  bind *:80",
        "}",
        ";",
        "\"",
        "'",
        "# comment",
        "! comment",
        " x",
        "$(touch /tmp/fulcrum-pwned)",
        "${_PWD}",
        "@node-a",
        "\0",
        "\u202Ex",
        "\\",
        "",
    ];

    private static readonly Dictionary<string, Func<ClusterSnapshot, NodeFacts, string, (ClusterSnapshot, NodeFacts)>> Fields = new()
    {
        ["clusterId"] = (s, f, v) => (s with { ClusterId = v }, f),
        ["node.id"] = (s, f, v) => (Self(s, f, n => n with { Id = v }), f with { NodeId = v }),
        ["node.address"] = (s, f, v) => (Self(s, f, n => n with { Address = v }), f),
        ["node.interface"] = (s, f, v) => (Self(s, f, n => n with { Interface = v }), f),
        ["peer.address"] = (s, f, v) => (s with { Nodes = [.. s.Nodes.Select(n => n.Id == f.NodeId ? n : n with { Address = v })] }, f),
        ["loadBalancer.id"] = (s, f, v) => (Lb(s, lb => lb with { Id = v }), f),
        ["loadBalancer.vip"] = (s, f, v) => (Lb(s, lb => lb with { Vip = v }), f),
        ["facts.runtime"] = (s, f, v) => (s, f with { Runtime = v }),
        ["facts.notifyCommand[0]"] = (s, f, v) => (s, f with { NotifyCommand = [v, .. f.NotifyCommand.Skip(1)] }),
        ["facts.notifyCommand[1]"] = (s, f, v) => (s, f with { NotifyCommand = [f.NotifyCommand[0], v] }),
    };

    public static TheoryData<string> FieldNames => new(Fields.Keys);

    [Theory]
    [MemberData(nameof(FieldNames))]
    public async Task Render_HostileTextInAField_IsRefusedWithoutEchoOrAcceptedByKeepalived(string field)
    {
        var snapshot = Golden.Snapshot("keepalived", "ipv4-and-ipv6-vips");
        var valid = Render(snapshot, Golden.Facts);
        var baseValue = ValueOf(field, snapshot, Golden.Facts);
        Assert.Contains(baseValue, valid, StringComparison.Ordinal);

        foreach (var value in Hostile.Concat(Hostile.Where(h => h.Length > 0).Select(h => baseValue + h)))
        {
            var (hostileSnapshot, hostileFacts) = Fields[field](snapshot, Golden.Facts, value);
            string text;
            try
            {
                text = Render(hostileSnapshot, hostileFacts);
            }
            catch (RenderRefusedException error)
            {
                if (value.Length > 3)
                {
                    Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
                }

                Assert.DoesNotContain(error.Message, c => char.IsControl(c) || c == '\u202E');
                continue;
            }

            Assert.Equal(valid.Count(c => c == '\n'), text.Count(c => c == '\n'));
            await KeepalivedCheck.AssertAcceptsAsync(hostileSnapshot, hostileFacts);
        }
    }

    [Fact]
    public async Task Render_AddressesAndPathsInLooseForms_AreWrittenCanonicalAndKeepalivedAcceptsThem()
    {
        var snapshot = Golden.Snapshot("keepalived", "ipv4-and-ipv6-vips");
        var loose = snapshot with
        {
            LoadBalancers = [.. snapshot.LoadBalancers.Select(lb => lb.Id == "lb-dual6" ? lb with { Vip = "2001:DB8:99:0:0:0:0:10" } : lb)],
        };
        var facts = Golden.Facts with { Runtime = "/run/fulcrum/", NotifyCommand = ["/usr/sbin/fulcrum-agent", "notify", "--state-dir=/var/lib/fulcrum"] };

        var text = Render(loose, facts);

        Assert.Contains("        2001:db8:99::10/64 dev eth0 # lb-dual6\n", text, StringComparison.Ordinal);
        Assert.Contains("    script \"/usr/bin/pgrep -x -F /run/fulcrum/haproxy.pid haproxy\"\n", text, StringComparison.Ordinal);
        Assert.Contains("    notify \"/usr/sbin/fulcrum-agent notify --state-dir=/var/lib/fulcrum\"\n", text, StringComparison.Ordinal);
        await KeepalivedCheck.AssertAcceptsAsync(loose, facts);
    }

    private static string Render(ClusterSnapshot snapshot, NodeFacts facts) =>
        Assert.Single(KeepalivedRenderer.Render(snapshot, facts, Golden.Directory)).Content;

    private static string ValueOf(string field, ClusterSnapshot snapshot, NodeFacts facts)
    {
        var self = snapshot.Nodes.Single(n => n.Id == facts.NodeId);
        return field switch
        {
            "clusterId" => snapshot.ClusterId,
            "node.id" => self.Id,
            "node.address" => self.Address,
            "node.interface" => self.Interface,
            "peer.address" => snapshot.Nodes.Single(n => n.Id != facts.NodeId).Address,
            "loadBalancer.id" => snapshot.LoadBalancers[0].Id,
            "loadBalancer.vip" => snapshot.LoadBalancers[0].Vip,
            "facts.runtime" => facts.Runtime,
            "facts.notifyCommand[0]" => facts.NotifyCommand[0],
            "facts.notifyCommand[1]" => facts.NotifyCommand[1],
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
    }

    private static ClusterSnapshot Self(ClusterSnapshot snapshot, NodeFacts facts, Func<SnapshotNode, SnapshotNode> change) =>
        snapshot with { Nodes = [.. snapshot.Nodes.Select(n => n.Id == facts.NodeId ? change(n) : n)] };

    private static ClusterSnapshot Lb(ClusterSnapshot snapshot, Func<SnapshotLoadBalancer, SnapshotLoadBalancer> change) =>
        snapshot with { LoadBalancers = [change(snapshot.LoadBalancers[0]), .. snapshot.LoadBalancers.Skip(1)] };
}
