using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.AddressPolicy;

/// <summary>What a tenant may point the data plane at: every refused class answers 400 naming the field.</summary>
public sealed class AddressPolicyApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    public static TheoryData<string> BadVips() =>
    [
        "0.0.0.0", "0.1.2.3", "127.0.0.1", "255.255.255.255", "240.0.0.1", "224.0.0.18", "239.1.1.1", "169.254.1.51", "169.254.169.254",
        "::", "::1", "ff02::12", "fe80::1", "::ffff:198.18.20.2",
    ];

    [Theory]
    [MemberData(nameof(BadVips))]
    public async Task CreateLoadBalancer_VipOfARefusedClass_400OnVip_EvenForAnAdmin(string vip)
    {
        var cluster = await Seed.ClusterAsync();
        var project = await Seed.ProjectAsync();

        var response = await _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = cluster.Id, name = "lb", vip });

        Assert.Equal(["vip"], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task UpdateLoadBalancer_ToAVipOfARefusedClass_400AndTheVipStays()
    {
        var lb = await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.60.1");

        var response = await _admin.PutAsync($"load-balancers/{lb.Id}", new { name = "lb", vip = "127.0.0.1" });

        Assert.Equal(["vip"], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal("198.18.60.1", (await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).Vip);
    }

    [Theory]
    [InlineData("127.0.0.0/24")]
    [InlineData("169.254.1.0/24")]
    [InlineData("198.18.0.0-224.0.0.20")]
    [InlineData("ff02::/64")]
    public async Task CreateCluster_PoolReachingIntoARefusedClass_400OnThatPool(string pool)
    {
        var response = await _admin.PostAsync("clusters", new { name = "c", vrrp = new { virtualRouterId = Seed.NextRouterId() }, vipPools = new[] { "198.18.61.0/24", pool } });

        Assert.Equal(["vipPools[1]"], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(24)]
    [InlineData(31)]
    public async Task CreateLoadBalancer_PrefixLengthTheClusterDoesNotAllow_400OnVipPrefixLength(int prefix)
    {
        var cluster = await Seed.ClusterAsync("198.18.62.0/24");
        var project = await Seed.ProjectAsync();

        var response = await _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = cluster.Id, name = "lb", vipPrefixLength = prefix });

        Assert.Equal(["vipPrefixLength"], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task CreateLoadBalancer_PrefixLengthAnAdminAllowed_Accepted()
    {
        var cluster = await _admin.CreateAsync<ClusterResponse>("clusters", new
        {
            name = "c",
            vrrp = new { virtualRouterId = Seed.NextRouterId() },
            vipPools = new[] { "198.18.63.0/24" },
            vipPrefixLengths = new[] { 24, 32 },
        });

        var lb = await _admin.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = (await Seed.ProjectAsync()).Id, clusterId = cluster.Id, name = "lb", vipPrefixLength = 24 });

        Assert.Equal([24, 32], cluster.VipPrefixLengths);
        Assert.Equal(("198.18.63.1", 24), (lb.Vip, lb.VipPrefixLength));
    }

    [Fact]
    public async Task CreateLoadBalancer_MemberChoosingAVip_OnlyInsideThePools()
    {
        var project = await Seed.ProjectAsync();
        using var member = factory.As(await Seed.TokenAsync(Role.Member, project.Id));
        var pooled = await Seed.ClusterAsync("198.18.64.0/24");
        var unpooled = await Seed.ClusterAsync();

        var inside = await member.PostAsync("load-balancers", new { clusterId = pooled.Id, name = "in", vip = "198.18.64.9" });
        var outside = await member.PostAsync("load-balancers", new { clusterId = pooled.Id, name = "out", vip = "198.18.65.9" });
        var noPool = await member.PostAsync("load-balancers", new { clusterId = unpooled.Id, name = "free", vip = "198.18.66.9" });

        await inside.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(["vip"], (await outside.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Contains("only an admin", (await noPool.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors["vip"][0], StringComparison.Ordinal);
        await (await _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = unpooled.Id, name = "admin", vip = "198.18.66.9" })).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CreateLoadBalancer_ANodesAddress_400OnVip_AndThePoolSkipsIt()
    {
        var cluster = await Seed.ClusterAsync("198.18.68.1-198.18.68.2");
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.68.1");
        var project = await Seed.ProjectAsync();

        var chosen = await _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = cluster.Id, name = "lb", vip = "198.18.68.1" });
        var allocated = await Seed.LoadBalancerAsync(project, cluster);

        Assert.Contains("node", (await chosen.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors["vip"][0], StringComparison.Ordinal);
        Assert.Equal("198.18.68.2", allocated.Vip);
    }

    public static TheoryData<string> BadBackends() =>
    [
        "127.0.0.1", "127.1.2.3", "169.254.169.254", "169.254.1.51", "0.0.0.0", "224.0.0.1", "255.255.255.255", "240.1.1.1",
        "::1", "::", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:198.18.1.10",
    ];

    [Theory]
    [MemberData(nameof(BadBackends))]
    public async Task CreateBackend_AddressOfARefusedClass_400OnAddress(string address)
    {
        var group = await Seed.BackendGroupAsync(await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync("198.18.69.0/24")));

        var response = await _admin.PostAsync("backends", new { backendGroupId = group.Id, address, port = 22 });

        Assert.Equal(["address"], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task CreateAndUpdateBackend_TheClustersNodeAddress_400OnAddress()
    {
        var cluster = await Seed.ClusterAsync("198.18.70.0/24");
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.71.5");
        var group = await Seed.BackendGroupAsync(await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), cluster));
        var backend = await Seed.BackendAsync(group, "198.18.71.6");

        var created = await _admin.PostAsync("backends", new { backendGroupId = group.Id, address = "198.18.71.5", port = 8080 });
        var updated = await _admin.PutAsync($"backends/{backend.Id}", new { address = "198.18.71.5", port = 8080 });

        Assert.Contains("node", (await created.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors["address"][0], StringComparison.Ordinal);
        Assert.Equal(["address"], (await updated.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task CreateBackend_InsideARangeTheAdminAllowed_AcceptedButNeverMulticast()
    {
        var cluster = await _admin.CreateAsync<ClusterResponse>("clusters", new
        {
            name = "lab",
            vrrp = new { virtualRouterId = Seed.NextRouterId() },
            vipPools = new[] { "198.18.72.0/24" },
            backendAllowedRanges = new[] { "127.0.0.0/8", "224.0.0.0/4" },
        });
        var group = await Seed.BackendGroupAsync(await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), cluster));

        var loopback = await _admin.PostAsync("backends", new { backendGroupId = group.Id, address = "127.0.0.1", port = 8080 });
        var metadata = await _admin.PostAsync("backends", new { backendGroupId = group.Id, address = "169.254.169.254", port = 80 });
        var multicast = await _admin.PostAsync("backends", new { backendGroupId = group.Id, address = "224.0.0.1", port = 80 });

        await loopback.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(["address"], (await metadata.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(["address"], (await multicast.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(["127.0.0.0/8", "224.0.0.0/4"], (await _admin.GetAsync<Core.Snapshots.ClusterSnapshot>($"clusters/{cluster.Id}/snapshot")).BackendAllowedRanges);
    }

    [Fact]
    public async Task UpdateCluster_DroppingAnAllowanceABackendNeeds_409AndTheAllowanceStays()
    {
        var cluster = await _admin.CreateAsync<ClusterResponse>("clusters", new
        {
            name = "lab",
            vrrp = new { virtualRouterId = Seed.NextRouterId() },
            vipPools = new[] { "198.18.73.0/24" },
            backendAllowedRanges = new[] { "127.0.0.0/8" },
        });
        var group = await Seed.BackendGroupAsync(await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), cluster));
        await Seed.BackendAsync(group, "127.0.0.1");

        var response = await _admin.PutAsync($"clusters/{cluster.Id}", new { name = "lab", vrrp = cluster.Vrrp, vipPools = cluster.VipPools });

        await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(["127.0.0.0/8"], (await _admin.GetAsync<ClusterResponse>($"clusters/{cluster.Id}")).BackendAllowedRanges);
    }

    [Fact]
    public async Task CreateLoadBalancer_TwentyRacingForThePool_EveryOneGetsADistinctVip()
    {
        var cluster = await Seed.ClusterAsync("198.18.74.0/24");
        var project = await Seed.ProjectAsync();
        await _admin.UpdateAsync<ProjectResponse>($"projects/{project.Id}", new { name = "tenant", quotas = new { loadBalancers = 50 } });

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = cluster.Id, name = $"racer {i}" })));

        foreach (var response in responses)
        {
            await response.ExpectAsync(HttpStatusCode.Created);
        }

        var vips = await Task.WhenAll(responses.Select(r => r.ReadAsync<LoadBalancerResponse>(HttpStatusCode.Created)));
        Assert.Equal(20, vips.Select(lb => lb.Vip).Distinct().Count());
    }
}
