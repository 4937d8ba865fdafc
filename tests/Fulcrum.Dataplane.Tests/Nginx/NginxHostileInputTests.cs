using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane.Nginx;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Nginx;

/// <summary>
/// Every string that reaches nginx.conf, fed text that would break out of its place, as a snapshot that bypassed
/// the API could carry it. The renderer must refuse it without repeating it, or write something nginx accepts.
/// </summary>
public sealed class NginxHostileInputTests
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
        " x",
        "$(touch /tmp/fulcrum-pwned)",
        "${remote_addr}",
        "\0",
        "\u202Ex",
        "\\",
        "",
    ];

    private static readonly Dictionary<string, Func<ClusterSnapshot, NodeFacts, string, (ClusterSnapshot, NodeFacts)>> Fields = new()
    {
        ["clusterId"] = (s, f, v) => (s with { ClusterId = v }, f),
        ["loadBalancer.id"] = (s, f, v) => (Lb(s, lb => lb with { Id = v }), f),
        ["loadBalancer.vip"] = (s, f, v) => (Lb(s, lb => lb with { Vip = v }), f),
        ["listener.id"] = (s, f, v) => (Listener(s, l => l with { Id = v }), f),
        ["backend.id"] = (s, f, v) => (Backend(s, b => b with { Id = v }), f),
        ["backend.address"] = (s, f, v) => (Backend(s, b => b with { Address = v }), f),
        ["acl.cidr"] = (s, f, v) => (s with
        {
            Acls = [.. s.Acls.Select(a => a.Id == s.LoadBalancers[0].Listeners[0].Acl!.AclId ? a with { Cidrs = [v, .. a.Cidrs] } : a)],
        }, f),
        ["facts.runtime"] = (s, f, v) => (s, f with { Runtime = v }),
        ["facts.nginxModulesDirectory"] = (s, f, v) => (s, f with { NginxModulesDirectory = v }),
    };

    public static TheoryData<string> FieldNames => new(Fields.Keys);

    [Theory]
    [MemberData(nameof(FieldNames))]
    public async Task Render_HostileTextInAField_IsRefusedWithoutEchoOrAcceptedByNginx(string field)
    {
        var snapshot = Golden.Snapshot("nginx", "udp-acl-allow-deny");
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
            await NginxCheck.AssertAcceptsAsync(hostileSnapshot, hostileFacts, new HashSet<string>());
        }
    }

    [Fact]
    public async Task Render_AddressesAndPathsInLooseForms_AreWrittenCanonicalAndNginxAcceptsThem()
    {
        var snapshot = Golden.Snapshot("nginx", "udp-acl-allow-deny");
        var (loose, _) = Fields["loadBalancer.vip"](snapshot, Golden.Facts, "2001:DB8:99:0:0:0:0:53");
        (loose, _) = Fields["backend.address"](loose, Golden.Facts, "2001:0db8:0003:0000:0000:0000:0000:0010");
        (loose, _) = Fields["acl.cidr"](loose, Golden.Facts, "198.18.7.9/24");
        var facts = Golden.Facts with { NginxModulesDirectory = "/usr/lib/nginx/modules/" };

        var text = Render(loose, facts);

        Assert.Contains("        listen [2001:db8:99::53]:514 udp reuseport;\n", text, StringComparison.Ordinal);
        Assert.Contains("        server [2001:db8:3::10]:514 weight=1; # be-syslog\n", text, StringComparison.Ordinal);
        Assert.Contains("        allow 198.18.7.0/24;\n", text, StringComparison.Ordinal);
        Assert.Contains("load_module /usr/lib/nginx/modules/ngx_stream_module.so;\n", text, StringComparison.Ordinal);
        await NginxCheck.AssertAcceptsAsync(loose, facts, new HashSet<string>());
    }

    private static string Render(ClusterSnapshot snapshot, NodeFacts facts) =>
        Assert.Single(NginxRenderer.Render(snapshot, facts, Golden.Directory, new HashSet<string>())).Content;

    private static string ValueOf(string field, ClusterSnapshot snapshot, NodeFacts facts)
    {
        var lb = snapshot.LoadBalancers[0];
        var listener = lb.Listeners[0];
        return field switch
        {
            "clusterId" => snapshot.ClusterId,
            "loadBalancer.id" => lb.Id,
            "loadBalancer.vip" => lb.Vip,
            "listener.id" => listener.Id,
            "backend.id" => lb.BackendGroups[0].Backends[0].Id,
            "backend.address" => lb.BackendGroups[0].Backends[0].Address,
            "acl.cidr" => snapshot.Acls.Single(a => a.Id == listener.Acl!.AclId).Cidrs[0],
            "facts.runtime" => facts.Runtime,
            "facts.nginxModulesDirectory" => facts.NginxModulesDirectory,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
    }

    private static ClusterSnapshot Lb(ClusterSnapshot snapshot, Func<SnapshotLoadBalancer, SnapshotLoadBalancer> change) =>
        snapshot with { LoadBalancers = [change(snapshot.LoadBalancers[0]), .. snapshot.LoadBalancers.Skip(1)] };

    private static ClusterSnapshot Listener(ClusterSnapshot snapshot, Func<SnapshotListener, SnapshotListener> change) =>
        Lb(snapshot, lb => lb with { Listeners = [change(lb.Listeners[0]), .. lb.Listeners.Skip(1)] });

    private static ClusterSnapshot Backend(ClusterSnapshot snapshot, Func<SnapshotBackend, SnapshotBackend> change) =>
        Lb(snapshot, lb => lb with
        {
            BackendGroups = [lb.BackendGroups[0] with { Backends = [change(lb.BackendGroups[0].Backends[0]), .. lb.BackendGroups[0].Backends.Skip(1)] }, .. lb.BackendGroups.Skip(1)],
        });
}
