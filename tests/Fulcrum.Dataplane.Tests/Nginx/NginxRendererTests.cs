using System.Text.Json;
using Fulcrum.Core.Json;
using Fulcrum.Dataplane.Nginx;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Nginx;

public sealed class NginxRendererTests
{
    public static TheoryData<string> Cases => Golden.Cases("nginx");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Render_GoldenCase_MatchesExpectedFilesAndNginxAcceptsThem(string name)
    {
        var snapshot = Golden.Snapshot("nginx", name);
        var down = DownBackendIds(name);

        var files = NginxRenderer.Render(snapshot, Golden.Facts, Golden.Directory, down);

        Golden.AssertMatches("nginx", name, files);
        await NginxCheck.AssertAcceptsAsync(snapshot, Golden.Facts, down);
    }

    [Fact]
    public void Render_SameSnapshotForAnotherGeneration_GivesTheSameText()
    {
        var snapshot = Golden.Snapshot("nginx", "udp-round-robin-weights-backup");

        var first = NginxRenderer.Render(snapshot, Golden.Facts, Golden.Directory, new HashSet<string>());
        var second = NginxRenderer.Render(snapshot with { Revision = snapshot.Revision + 1 }, Golden.Facts, "/var/lib/fulcrum/generations/8", new HashSet<string>());

        Assert.Equal(first, second);
    }

    [Fact]
    public void Render_SourceIpWithBackups_NeverWritesTheBackupFlagNginxRefusesWithHash()
    {
        var snapshot = Golden.Snapshot("nginx", "udp-least-conn-and-source-hash");

        var text = Assert.Single(NginxRenderer.Render(snapshot, Golden.Facts, Golden.Directory, new HashSet<string>())).Content;

        var hashUpstreams = text.Split("upstream ").Where(block => block.Contains("hash $remote_addr consistent;", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, hashUpstreams.Count);
        var servers = hashUpstreams.SelectMany(block => block.Split('}')[0].Split('\n')).Where(line => line.TrimStart().StartsWith("server ", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, servers.Count);
        Assert.All(servers, line => Assert.DoesNotContain(" backup", line.Split('#')[0], StringComparison.Ordinal));
    }

    [Fact]
    public void Render_SourceIpWhenTheLastPrimaryFailsItsCheck_LetsTheBackupServe()
    {
        var snapshot = Golden.Snapshot("nginx", "udp-least-conn-and-source-hash");

        var healthy = Line(NginxRenderer.Render(snapshot, Golden.Facts, Golden.Directory, new HashSet<string>()), "be-match3");
        var failing = Line(NginxRenderer.Render(snapshot, Golden.Facts, Golden.Directory, new HashSet<string> { "be-match1", "be-match2" }), "be-match3");

        Assert.Equal("server 198.18.2.22:7778 weight=1 down; # be-match3: backup, standing by", healthy);
        Assert.Equal("server 198.18.2.22:7778 weight=1; # be-match3", failing);
    }

    [Fact]
    public void Render_ListenerOfADisabledLoadBalancer_IsNotServed()
    {
        var snapshot = Golden.Snapshot("nginx", "udp-round-robin-weights-backup");
        var disabled = snapshot with { LoadBalancers = [snapshot.LoadBalancers[0] with { Enabled = false }] };

        var text = Assert.Single(NginxRenderer.Render(disabled, Golden.Facts, Golden.Directory, new HashSet<string>())).Content;

        Assert.DoesNotContain("listen ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lsn-dns", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AclMissingFromTheSnapshot_IsRefused()
    {
        var snapshot = Golden.Snapshot("nginx", "udp-acl-allow-deny");

        var error = Assert.Throws<RenderRefusedException>(() =>
            NginxRenderer.Render(snapshot with { Acls = [] }, Golden.Facts, Golden.Directory, new HashSet<string>()));

        Assert.Contains("acl-office", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BackendGroupOfAnotherLoadBalancer_IsRefused()
    {
        var snapshot = Golden.Snapshot("nginx", "udp-round-robin-weights-backup");
        var lb = snapshot.LoadBalancers[0];
        var foreign = snapshot with { LoadBalancers = [lb with { Listeners = [lb.Listeners[1] with { DefaultBackendGroupId = "bg-elsewhere" }] }] };

        var error = Assert.Throws<RenderRefusedException>(() =>
            NginxRenderer.Render(foreign, Golden.Facts, Golden.Directory, new HashSet<string>()));

        Assert.Contains("loadBalancers[0].listeners[0].defaultBackendGroupId", error.Message, StringComparison.Ordinal);
    }

    private static HashSet<string> DownBackendIds(string name)
    {
        var path = Path.Combine(Golden.AssetsDirectory(), "nginx", name, "downBackendIds.json");
        return File.Exists(path)
            ? JsonSerializer.Deserialize<HashSet<string>>(File.ReadAllText(path), FulcrumJson.Options)!
            : [];
    }

    private static string Line(IReadOnlyList<RenderedFile> files, string backendId) =>
        Assert.Single(Assert.Single(files).Content.Split('\n'), line => line.EndsWith("# " + backendId, StringComparison.Ordinal)
            || line.Contains("# " + backendId + ":", StringComparison.Ordinal)).Trim();
}
