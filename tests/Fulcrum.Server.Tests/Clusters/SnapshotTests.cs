using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Clusters;

public sealed class SnapshotTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Snapshot_HoldsTheWholeTreeAtTheCurrentRevision_WithoutDisplayTextOrKeys()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        var token = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id });
        await _admin.PostAsync("agent/join", new { token = token.Secret, name = "node-name-marker", address = "198.18.0.51", @interface = "veth0" });
        var tree = await Seed.TreeAsync(project, cluster, "198.18.99.1");
        var pem = TestCertificates.Create("tls.example.test", factory.Time.GetUtcNow());
        var certificate = await _admin.CreateAsync<CertificateResponse>("certificates", new { projectId = project.Id, name = "cert-name-marker", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
        await _admin.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = tree.LoadBalancer.Id, name = "listener-name-marker", protocol = "https", port = 443, defaultBackendGroupId = tree.Group.Id, tls = new { certificateId = certificate.Id } });
        await _admin.CreateAsync<RuleResponse>("rules", new { listenerId = tree.Listener.Id, name = "rule-name-marker", match = new { path = "/api" }, action = new { type = "forward", backendGroupId = tree.Group.Id } });

        var response = await _admin.GetAsync($"clusters/{cluster.Id}/snapshot");
        var text = await response.Content.ReadAsStringAsync();
        var snapshot = await response.ReadAsync<ClusterSnapshot>(HttpStatusCode.OK);

        Assert.Equal(await Seed.RevisionAsync(cluster.Id), snapshot.Revision);
        var node = Assert.Single(snapshot.Nodes);
        Assert.Equal(("198.18.0.51", "veth0", 100), (node.Address, node.Interface, node.Priority));
        var lb = Assert.Single(snapshot.LoadBalancers);
        Assert.Equal("198.18.99.1", lb.Vip);
        Assert.Equal([80, 443], lb.Listeners.Select(l => l.Port));
        Assert.Equal("/api", Assert.Single(lb.Listeners[0].Rules).Match.Path);
        Assert.Equal(["198.18.1.10", "198.18.1.11"], Assert.Single(lb.BackendGroups).Backends.Select(b => b.Address));
        var served = Assert.Single(snapshot.Certificates);
        Assert.Equal(certificate.Id, served.Id);
        Assert.Null(served.PrivateKeyPem);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("marker", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_OfAnUnknownCluster_IsNotFound_AndNeedsAnAdmin()
    {
        var project = await Seed.ProjectAsync();
        using var member = factory.As(await Seed.TokenAsync(Role.Member, project.Id));
        var cluster = await Seed.ClusterAsync();

        await (await _admin.GetAsync("clusters/cl-unknown/snapshot")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await member.GetAsync($"clusters/{cluster.Id}/snapshot")).ReadProblemAsync(HttpStatusCode.Forbidden);
    }
}
