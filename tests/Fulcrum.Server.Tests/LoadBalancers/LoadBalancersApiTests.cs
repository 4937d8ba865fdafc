using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.LoadBalancers;

public sealed class LoadBalancersApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Create_WithoutVip_TakesTheNextFreeAddressOfThePools()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync("198.18.30.0/30", "198.18.31.7-198.18.31.8");

        var vips = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            vips.Add((await Seed.LoadBalancerAsync(project, cluster)).Vip);
        }

        Assert.Equal(["198.18.30.1", "198.18.30.2", "198.18.31.7", "198.18.31.8"], vips);
        var exhausted = await _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = cluster.Id, name = "one too many" });
        Assert.Contains("used up", (await exhausted.ReadProblemAsync(HttpStatusCode.Conflict)).Detail);
    }

    [Fact]
    public async Task Create_FreedVip_IsHandedOutAgain()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync("198.18.32.0/29");
        var first = await Seed.LoadBalancerAsync(project, cluster);
        await Seed.LoadBalancerAsync(project, cluster);

        await (await _admin.DeleteAsync($"load-balancers/{first.Id}")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal(first.Vip, (await Seed.LoadBalancerAsync(project, cluster)).Vip);
    }

    [Fact]
    public async Task Create_VipOutsideThePools_IsRefusedNamingThePools()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync("198.18.33.0/24");

        var response = await _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = cluster.Id, name = "lb", vip = "198.18.34.1" });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("198.18.33.0/24", Assert.Single(problem.Errors["vip"]));
    }

    [Fact]
    public async Task Create_WithoutVipInAClusterWithoutPools_AsksForAVip()
    {
        var response = await _admin.PostAsync("load-balancers", new { projectId = (await Seed.ProjectAsync()).Id, clusterId = (await Seed.ClusterAsync()).Id, name = "lb" });

        Assert.Contains("vip", (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task Create_SameVipTwiceInACluster_Conflicts_InAnotherClusterIsFine()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        await Seed.LoadBalancerAsync(project, cluster, "2001:db8::10");

        var twice = await _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = cluster.Id, name = "lb", vip = "2001:DB8:0::10" });
        var elsewhere = await Seed.LoadBalancerAsync(project, await Seed.ClusterAsync(), "2001:db8::10");

        await twice.ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(128, elsewhere.VipPrefixLength);
    }

    [Fact]
    public async Task Create_WithoutNodes_IsPendingAndOffline()
    {
        var lb = await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.35.1");

        Assert.Equal(ProvisioningStatus.Pending, lb.ProvisioningStatus);
        Assert.Equal(OperatingStatus.Offline, lb.OperatingStatus);
    }

    [Fact]
    public async Task Delete_WithChildren_NeedsCascade_WhichRemovesTheWholeTree()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        var tree = await Seed.TreeAsync(project, cluster, "198.18.36.1");
        await _admin.CreateAsync<RuleResponse>("rules", new
        {
            listenerId = tree.Listener.Id,
            name = "api",
            match = new { path = "/api" },
            action = new { type = "forward", backendGroupId = tree.Group.Id },
        });
        var revision = await Seed.RevisionAsync(cluster.Id);

        var refused = await _admin.DeleteAsync($"load-balancers/{tree.LoadBalancer.Id}");
        var deleted = await _admin.DeleteAsync($"load-balancers/{tree.LoadBalancer.Id}?cascade=true");

        Assert.Contains("cascade=true", (await refused.ReadProblemAsync(HttpStatusCode.Conflict)).Detail);
        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        await (await _admin.GetAsync($"listeners/{tree.Listener.Id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await _admin.GetAsync($"backends/{tree.Backends[0].Id}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await _admin.GetAsync<Page<RuleResponse>>($"rules?listenerId={tree.Listener.Id}")).Total);
        Assert.Equal(revision + 1, await Seed.RevisionAsync(cluster.Id));
    }

    [Fact]
    public async Task Update_ProjectOrCluster_CannotChange()
    {
        var lb = await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.37.1");

        var response = await _admin.PutAsync($"load-balancers/{lb.Id}", new { projectId = (await Seed.ProjectAsync()).Id, clusterId = (await Seed.ClusterAsync()).Id, name = "moved" });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["clusterId", "projectId"], problem.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Update_OmittedVip_KeepsTheAllocatedOne()
    {
        var lb = await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync("198.18.38.0/24"));

        var updated = await _admin.UpdateAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}", new { name = "renamed", enabled = false });

        Assert.Equal(lb.Vip, updated.Vip);
        Assert.False(updated.Enabled);
        Assert.Equal(OperatingStatus.Offline, updated.OperatingStatus);
    }

    [Fact]
    public async Task Create_FromAnIpv6Pool_TakesAPrefixOfThatFamily()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await _admin.CreateAsync<ClusterResponse>("clusters", new
        {
            name = "v6",
            vrrp = new { virtualRouterId = Seed.NextRouterId() },
            vipPools = new[] { "2001:db8:5::/120" },
            vipPrefixLengths = new[] { 64, 128 },
        });

        var lb = await _admin.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = project.Id, clusterId = cluster.Id, name = "v6", vipPrefixLength = 64 });
        var tooLong = await _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = (await Seed.ClusterAsync("198.18.39.0/24")).Id, name = "v4", vipPrefixLength = 64 });

        Assert.Equal(("2001:db8:5::", 64), (lb.Vip, lb.VipPrefixLength));
        Assert.Equal(["vipPrefixLength"], (await tooLong.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }
}
