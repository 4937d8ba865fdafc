using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Http;

public sealed class ConcurrencyTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();

    [Fact]
    public async Task Put_WithStaleIfMatch_IsRefusedAndChangesNothing()
    {
        var seed = new Seed(_admin);
        var backend = await seed.BackendAsync(await seed.BackendGroupAsync(await seed.LoadBalancerAsync(await seed.ProjectAsync(), await seed.ClusterAsync(), "198.18.40.1")));
        var read = await _admin.GetAsync($"backends/{backend.Id}");
        var etag = read.Headers.ETag!.ToString();
        await _admin.UpdateAsync<BackendResponse>($"backends/{backend.Id}", new { address = backend.Address, port = backend.Port, weight = 5 });

        var stale = await _admin.PutAsync($"backends/{backend.Id}", new { address = backend.Address, port = backend.Port, weight = 0 }, ifMatch: etag);
        var staleDelete = await _admin.DeleteAsync($"backends/{backend.Id}", ifMatch: etag);

        await stale.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        await staleDelete.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(5, (await _admin.GetAsync<BackendResponse>($"backends/{backend.Id}")).Weight);
    }

    [Fact]
    public async Task Put_WithCurrentIfMatch_Succeeds_AndAnswersANewETag()
    {
        var project = await new Seed(_admin).ProjectAsync();
        var etag = (await _admin.GetAsync($"projects/{project.Id}")).Headers.ETag!.ToString();

        var response = await _admin.PutAsync($"projects/{project.Id}", new { name = "renamed" }, ifMatch: etag);

        Assert.Equal("renamed", (await response.ReadAsync<ProjectResponse>(HttpStatusCode.OK)).Name);
        Assert.NotEqual(etag, response.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Revision_MovesOncePerChangeThatReachesNodes()
    {
        var seed = new Seed(_admin);
        var cluster = await seed.ClusterAsync();
        var project = await seed.ProjectAsync();
        var revisions = new List<long> { await seed.RevisionAsync(cluster.Id) };
        var lb = await seed.LoadBalancerAsync(project, cluster, "198.18.41.1");
        revisions.Add(await seed.RevisionAsync(cluster.Id));
        var group = await seed.BackendGroupAsync(lb);
        revisions.Add(await seed.RevisionAsync(cluster.Id));
        var backend = await seed.BackendAsync(group);
        revisions.Add(await seed.RevisionAsync(cluster.Id));
        await _admin.UpdateAsync<BackendResponse>($"backends/{backend.Id}", new { address = backend.Address, port = backend.Port, name = "only a name" });
        revisions.Add(await seed.RevisionAsync(cluster.Id));
        await _admin.UpdateAsync<BackendResponse>($"backends/{backend.Id}", new { address = backend.Address, port = backend.Port, name = "only a name", adminState = "drain" });
        revisions.Add(await seed.RevisionAsync(cluster.Id));
        await _admin.UpdateAsync<BackendResponse>($"backends/{backend.Id}", new { address = backend.Address, port = backend.Port, name = "only a name", adminState = "drain" });
        revisions.Add(await seed.RevisionAsync(cluster.Id));

        var start = revisions[0];
        Assert.Equal([start, start + 1, start + 2, start + 3, start + 3, start + 4, start + 4], revisions);
    }

    /// <summary>Two server replicas on one database: the database, not a lock in one process, keeps ports unique.</summary>
    [Fact]
    public async Task Replicas_RacingForOnePort_ExactlyOneWins_AndRevisionsStayDistinct()
    {
        using var replica = factory.WithWebHostBuilder(_ => { });
        using var other = new ApiClient(replica.CreateClient());
        other.Http.DefaultRequestHeaders.Authorization = new("Bearer", factory.AdminToken);
        var seed = new Seed(_admin);
        var lb = await seed.LoadBalancerAsync(await seed.ProjectAsync(), await seed.ClusterAsync(), "198.18.42.1");
        var before = await seed.RevisionAsync(lb.ClusterId);

        var attempts = Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? _admin : other).PostAsync("listeners", new { loadBalancerId = lb.Id, name = $"racer {i}", protocol = "tcp", port = 443 }));
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(before + 1, await seed.RevisionAsync(lb.ClusterId));
    }
}
