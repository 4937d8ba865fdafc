using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Clusters;

public sealed class ClustersApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();

    [Fact]
    public async Task Create_WithOnlyARouterId_FillsVrrpDefaults()
    {
        var routerId = Seed.NextRouterId();
        var cluster = await _admin.CreateAsync<ClusterResponse>("clusters", new { name = "edge", vrrp = new { virtualRouterId = routerId } });

        Assert.Equal(new VrrpSpec(routerId, 200, false, true), cluster.Vrrp);
        Json.AssertSame(cluster, await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}"));
    }

    [Fact]
    public async Task Create_DuplicateVirtualRouterId_Conflicts()
    {
        var cluster = await new Seed(_admin).ClusterAsync();

        var response = await _admin.PostAsync("clusters", new { name = "twin", vrrp = new { virtualRouterId = cluster.Vrrp.VirtualRouterId } });

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("virtualRouterId", problem.Detail);
    }

    [Fact]
    public async Task Update_NameOnly_KeepsRevision_VrrpChange_MovesIt()
    {
        var cluster = await new Seed(_admin).ClusterAsync();
        var vrrp = new { virtualRouterId = cluster.Vrrp.VirtualRouterId };

        var renamed = await _admin.UpdateAsync<ClusterResponse>($"clusters/{cluster.Id}", new { name = "renamed", vrrp });
        var faster = await _admin.UpdateAsync<ClusterResponse>(
            $"clusters/{cluster.Id}", new { name = "renamed", vrrp = new { virtualRouterId = cluster.Vrrp.VirtualRouterId, advertIntervalMs = 100 } });

        Assert.Equal(cluster.Revision, renamed.Revision);
        Assert.Equal(cluster.Revision + 1, faster.Revision);
        Assert.Equal(100, faster.Vrrp.AdvertIntervalMs);
    }

    [Fact]
    public async Task Update_SameValues_ChangesNothing()
    {
        var cluster = await new Seed(_admin).ClusterAsync("198.18.10.0/28");
        var body = new { name = cluster.Name, vrrp = cluster.Vrrp, vipPools = cluster.VipPools };
        var etag = (await _admin.GetAsync($"clusters/{cluster.Id}")).Headers.ETag;

        var response = await _admin.PutAsync($"clusters/{cluster.Id}", body);

        Json.AssertSame(cluster, await response.ReadAsync<ClusterResponse>(HttpStatusCode.OK));
        Assert.Equal(etag, response.Headers.ETag);
    }

    [Fact]
    public async Task Create_BadPools_NamesEachBadEntry()
    {
        var response = await _admin.PostAsync("clusters", new
        {
            name = "pools",
            vrrp = new { virtualRouterId = Seed.NextRouterId(), advertIntervalMs = 15 },
            vipPools = new[] { "198.18.10.0/28", "198.18.10.9-198.18.10.1", "2001:db8::/64", "10.0.0.1-2001:db8::1" },
        });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["vipPools[1]", "vipPools[3]", "vrrp.advertIntervalMs"], problem.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Delete_WithLoadBalancer_Conflicts_ThenSucceedsOnceEmpty()
    {
        var seed = new Seed(_admin);
        var cluster = await seed.ClusterAsync("198.18.20.0/24");
        var lb = await seed.LoadBalancerAsync(await seed.ProjectAsync(), cluster);

        await (await _admin.DeleteAsync($"clusters/{cluster.Id}")).ExpectAsync(HttpStatusCode.Conflict);
        await (await _admin.DeleteAsync($"load-balancers/{lb.Id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await _admin.DeleteAsync($"clusters/{cluster.Id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await _admin.GetAsync($"clusters/{cluster.Id}")).ExpectAsync(HttpStatusCode.NotFound);
    }
}
