using System.IO.Compression;
using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Agent;

public sealed class AgentSnapshotTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Snapshot_WhenBehind_AnswersAtOnceWithTheCurrentRevision()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.61");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var response = await agent.PollAsync(after: revision - 1, waitSeconds: 60).WaitAsync(TestAgent.Patience);

        var snapshot = await response.ReadAsync<ClusterSnapshot>(HttpStatusCode.OK);
        Assert.Equal((cluster.Id, revision), (snapshot.ClusterId, snapshot.Revision));
        Assert.Equal(agent.NodeId, Assert.Single(snapshot.Nodes).Id);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Snapshot_ThroughTheAgent_HoldsPrivateKeys_TheAdminsDoesNot()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.62");
        var tree = await Seed.TreeAsync(project, cluster, "198.18.96.1");
        var pem = TestCertificates.Create("agent.example.test", factory.Time.GetUtcNow());
        var certificate = await _admin.CreateAsync<CertificateResponse>("certificates", new { projectId = project.Id, name = "cert", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
        await _admin.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = tree.LoadBalancer.Id, name = "tls", protocol = "https", port = 443, defaultBackendGroupId = tree.Group.Id, tls = new { certificateId = certificate.Id } });

        var served = await agent.SnapshotAsync(after: 0);
        var shown = await _admin.GetAsync<ClusterSnapshot>($"clusters/{cluster.Id}/snapshot");

        Assert.Equal(pem.PrivateKeyPem.Trim(), Assert.Single(served.Certificates).PrivateKeyPem?.Trim());
        Assert.Null(Assert.Single(shown.Certificates).PrivateKeyPem);
        Assert.Equal(shown.Revision, served.Revision);
    }

    [Fact]
    public async Task Snapshot_WhenUpToDate_WaitsThenAnswersNoContent()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.63");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var poll = agent.PollAsync(after: revision, waitSeconds: 1);
        await TestAgent.WaitingAsync(factory, cluster.Id);
        var response = await poll.WaitAsync(TestAgent.Patience);
        var immediate = await agent.PollAsync(after: revision, waitSeconds: 0).WaitAsync(TestAgent.Patience);

        await response.ExpectAsync(HttpStatusCode.NoContent);
        await immediate.ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(revision, await Seed.RevisionAsync(cluster.Id));
    }

    [Fact]
    public async Task Snapshot_ChangeThroughTheApiDuringTheWait_WakesItWithTheNewRevision()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.64");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var poll = agent.PollAsync(after: revision, waitSeconds: 60);
        await TestAgent.WaitingAsync(factory, cluster.Id);
        var lb = await Seed.LoadBalancerAsync(project, cluster, "198.18.96.2");
        var snapshot = await (await poll.WaitAsync(TestAgent.Patience)).ReadAsync<ClusterSnapshot>(HttpStatusCode.OK);

        Assert.Equal(revision + 1, snapshot.Revision);
        Assert.Equal(lb.Id, Assert.Single(snapshot.LoadBalancers).Id);
    }

    /// <summary>Every agent of a cluster is served one shared snapshot per revision; a newer revision replaces it.</summary>
    [Fact]
    public async Task Snapshot_AskedForByManyAtOnce_IsTheSameRevisionForAll_AndANewRevisionIsNotHiddenByIt()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.76");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var before = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => agent.SnapshotAsync(after: revision - 1)));
        var lb = await Seed.LoadBalancerAsync(project, cluster, "198.18.96.16");
        var after = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => agent.SnapshotAsync(after: revision)));

        Assert.All(before, s => Assert.Equal((revision, 0), (s.Revision, s.LoadBalancers.Count)));
        Assert.All(after, s => Assert.Equal((revision + 1, lb.Id), (s.Revision, Assert.Single(s.LoadBalancers).Id)));
    }

    [Fact]
    public async Task Snapshot_ForAnAgentAcceptingGzip_IsSentCompressed_AndIsTheSameSnapshot()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.77");
        await Seed.TreeAsync(project, cluster, "198.18.96.17");
        var plain = await agent.PollAsync(after: 0, waitSeconds: 0);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agent/snapshot?after=0&waitSeconds=0");
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var compressed = await agent.Client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal(["gzip"], compressed.Content.Headers.ContentEncoding);
        Assert.Null(plain.Content.Headers.ContentEncoding.SingleOrDefault());
        await using var gzip = new GZipStream(await compressed.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        await gzip.CopyToAsync(unzipped);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), unzipped.ToArray());
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
    }

    /// <summary>The other replica's change reaches this replica's waiting poll through the database alone.</summary>
    [Fact]
    public async Task Snapshot_ChangeThroughAnotherReplicaDuringTheWait_WakesItWithTheNewRevision()
    {
        using var replica = factory.WithWebHostBuilder(_ => { });
        using var otherAdmin = new ApiClient(replica.CreateClient());
        otherAdmin.Http.DefaultRequestHeaders.Authorization = new("Bearer", factory.AdminToken);
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.65");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var poll = agent.PollAsync(after: revision, waitSeconds: 60);
        await TestAgent.WaitingAsync(factory, cluster.Id);
        var lb = await new Seed(otherAdmin).LoadBalancerAsync(project, cluster, "198.18.96.3");
        var snapshot = await (await poll.WaitAsync(TestAgent.Patience)).ReadAsync<ClusterSnapshot>(HttpStatusCode.OK);

        Assert.Equal(revision + 1, snapshot.Revision);
        Assert.Equal(lb.Id, Assert.Single(snapshot.LoadBalancers).Id);
    }

    [Fact]
    public async Task Snapshot_ChangeToAnotherCluster_DoesNotWakeIt()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        var other = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.66");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var poll = agent.PollAsync(after: revision, waitSeconds: 1);
        await TestAgent.WaitingAsync(factory, cluster.Id);
        await Seed.LoadBalancerAsync(project, other, "198.18.96.4");
        var response = await poll.WaitAsync(TestAgent.Patience);

        await response.ExpectAsync(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("after=-1", "after")]
    [InlineData("after=1&waitSeconds=61", "waitSeconds")]
    [InlineData("after=1&waitSeconds=-1", "waitSeconds")]
    public async Task Snapshot_WithOutOfRangeParameters_IsBadRequestNamingThem(string query, string field)
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.67");

        var problem = await (await agent.Client.GetAsync($"agent/snapshot?{query}")).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.Errors.Keys);
    }

    [Fact]
    public async Task Snapshot_WithANonNumericRevision_IsBadRequest()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.68");

        await (await agent.Client.GetAsync("agent/snapshot?after=latest")).ReadProblemAsync(HttpStatusCode.BadRequest);
    }
}
