using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Http;

public sealed class DryRunTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    private sealed record DryRunAnswer<T>(bool DryRun, T? Value, string[] Clusters, string[] LoadBalancers);

    [Fact]
    public async Task DryRun_Update_AnswersWhatWouldChange_AndWritesNothing()
    {
        var cluster = await Seed.ClusterAsync();
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.71.1");
        var backend = tree.Backends[0];
        var revision = await Seed.RevisionAsync(cluster.Id);

        var weight = await (await _admin.PatchAsync($"backends/{backend.Id}?dryRun=true", new { weight = 9 })).ReadAsync<DryRunAnswer<BackendResponse>>(HttpStatusCode.OK);
        var rename = await (await _admin.PatchAsync($"backends/{backend.Id}?dryRun=true", new { name = "other" })).ReadAsync<DryRunAnswer<BackendResponse>>(HttpStatusCode.OK);

        Assert.True(weight.DryRun);
        Assert.Equal(9, weight.Value!.Weight);
        Assert.Equal([cluster.Id], weight.Clusters);
        Assert.Equal([tree.LoadBalancer.Id], weight.LoadBalancers);
        Assert.Empty(rename.Clusters);
        Assert.Equal(backend.Weight, (await _admin.GetAsync<BackendResponse>($"backends/{backend.Id}")).Weight);
        Assert.Equal(revision, await Seed.RevisionAsync(cluster.Id));
    }

    [Fact]
    public async Task DryRun_CreateAndDelete_KeepNothing_AndRefusalsStayRefusals()
    {
        var cluster = await Seed.ClusterAsync();
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.71.2");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var created = await (await _admin.PostAsync("backends?dryRun=true", new { backendGroupId = tree.Group.Id, address = "198.18.1.30", port = 80 }))
            .ReadAsync<DryRunAnswer<BackendResponse>>(HttpStatusCode.OK);
        var deleted = await (await _admin.DeleteAsync($"load-balancers/{tree.LoadBalancer.Id}?cascade=true&dryRun=true")).ReadAsync<DryRunAnswer<object>>(HttpStatusCode.OK);
        var refused = await _admin.PostAsync("backends?dryRun=true", new { backendGroupId = tree.Group.Id, address = "198.18.1.30", port = 0 });

        Assert.Equal("198.18.1.30", created.Value!.Address);
        Assert.Equal([cluster.Id], deleted.Clusters);
        Assert.Equal(["port"], (await refused.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(2, (await _admin.GetAsync<Page<BackendResponse>>($"backends?backendGroupId={tree.Group.Id}")).Total);
        await (await _admin.GetAsync($"load-balancers/{tree.LoadBalancer.Id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(revision, await Seed.RevisionAsync(cluster.Id));
    }

    [Fact]
    public async Task DryRun_WholeTreeCreate_NamesTheLoadBalancerAndCluster_AndKeepsNothing()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        var revision = await Seed.RevisionAsync(cluster.Id);

        var answer = await (await _admin.PostAsync("load-balancers?dryRun=true", new
        {
            projectId = project.Id,
            clusterId = cluster.Id,
            name = "web",
            vip = "198.18.71.3",
            backendGroups = new[] { new { name = "pool", backends = new[] { new { address = "198.18.1.40", port = 80 } } } },
            listeners = new[] { new { name = "http", protocol = "http", port = 80, defaultBackendGroup = "pool" } },
        })).ReadAsync<DryRunAnswer<LoadBalancerResponse>>(HttpStatusCode.OK);

        Assert.Equal("web", answer.Value!.Name);
        Assert.Equal([cluster.Id], answer.Clusters);
        Assert.Equal([answer.Value.Id], answer.LoadBalancers);
        Assert.Equal(0, (await _admin.GetAsync<Page<LoadBalancerResponse>>($"load-balancers?projectId={project.Id}")).Total);
        Assert.Equal(revision, await Seed.RevisionAsync(cluster.Id));
    }
}
