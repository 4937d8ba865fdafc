using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.LoadBalancers;

public sealed class LoadBalancerTreeTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Create_WholeTree_MakesEveryPartInOneRevision()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync("198.18.40.0/29");
        var before = await Seed.RevisionAsync(cluster.Id);

        var lb = await _admin.CreateAsync<LoadBalancerResponse>("load-balancers", Web(project, cluster));

        Assert.Equal(before + 1, await Seed.RevisionAsync(cluster.Id));
        var tree = await _admin.GetAsync<LoadBalancerTreeResponse>($"load-balancers/{lb.Id}/tree");
        var group = Assert.Single(tree.BackendGroups);
        Assert.Equal(["198.18.41.1", "198.18.41.2"], group.Backends.Select(b => b.Address));
        Assert.Equal([3, 1], group.Backends.Select(b => b.Weight));
        var listener = Assert.Single(tree.Listeners);
        Assert.Equal(group.BackendGroup.Id, listener.Listener.DefaultBackendGroupId);
        Assert.Equal(group.BackendGroup.Id, Assert.Single(listener.Rules).Action.BackendGroupId);

        var snapshot = await _admin.GetAsync<ClusterSnapshot>($"clusters/{cluster.Id}/snapshot");
        var seen = Assert.Single(snapshot.LoadBalancers);
        Assert.Equal(2, Assert.Single(seen.BackendGroups).Backends.Count);
        Assert.Single(Assert.Single(seen.Listeners).Rules);
    }

    [Fact]
    public async Task Create_TreeWithBadParts_NamesEveryBadFieldByItsPathAndMakesNothing()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync("198.18.42.0/29");

        var response = await _admin.PostAsync("load-balancers", new
        {
            projectId = project.Id,
            clusterId = cluster.Id,
            name = "web",
            backendGroups = new object[]
            {
                new { name = "pool", backends = new object[] { new { address = "198.18.43.1", port = 8080 }, new { address = "not an address", port = 8080 } } },
                new { name = "pool" },
            },
            listeners = new object[]
            {
                new { name = "web", protocol = "http", port = 70000, defaultBackendGroup = "missing" },
                new
                {
                    name = "api",
                    protocol = "http",
                    port = 81,
                    rules = new object[] { new { name = "api", match = new { path = "/api" }, action = new { type = "forward" } } },
                },
            },
        });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(
            ["backendGroups[0].backends[1].address", "backendGroups[1].name", "listeners[0].defaultBackendGroup", "listeners[0].port", "listeners[1].rules[0].action.backendGroup"],
            problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, (await _admin.GetAsync<Page<LoadBalancerResponse>>($"load-balancers?clusterId={cluster.Id}")).Total);
    }

    [Fact]
    public async Task Create_TreeWhosePartTheDatabaseRefuses_KeepsNoPartAndMovesNoRevision()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync("198.18.44.0/29");
        var before = await Seed.RevisionAsync(cluster.Id);

        var response = await _admin.PostAsync("load-balancers", new
        {
            projectId = project.Id,
            clusterId = cluster.Id,
            name = "web",
            backendGroups = new object[] { new { name = "pool", backends = new object[] { new { address = "127.0.0.1", port = 8080 } } } },
        });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["backendGroups[0].backends[0].address"], problem.Errors.Keys);
        Assert.Equal(before, await Seed.RevisionAsync(cluster.Id));
        Assert.Equal(0, (await _admin.GetAsync<Page<LoadBalancerResponse>>($"load-balancers?clusterId={cluster.Id}")).Total);
    }

    [Fact]
    public async Task Tree_OfAnotherProjectsLoadBalancer_IsNotFound()
    {
        var project = await Seed.ProjectAsync();
        var lb = await _admin.CreateAsync<LoadBalancerResponse>("load-balancers", Web(project, await Seed.ClusterAsync("198.18.45.0/29")));
        var other = await Seed.ProjectAsync("other");
        using var member = factory.As(await Seed.TokenAsync(Role.Member, other.Id));

        await (await member.GetAsync($"load-balancers/{lb.Id}/tree")).ExpectAsync(HttpStatusCode.NotFound);
    }

    private static object Web(ProjectResponse project, ClusterResponse cluster) => new
    {
        projectId = project.Id,
        clusterId = cluster.Id,
        name = "web",
        backendGroups = new object[]
        {
            new { name = "pool", backends = new object[] { new { address = "198.18.41.1", port = 8080, weight = 3 }, new { address = "198.18.41.2", port = 8080 } } },
        },
        listeners = new object[]
        {
            new
            {
                name = "http",
                protocol = "http",
                port = 80,
                defaultBackendGroup = "pool",
                healthCheck = new { type = "http", http = new { path = "/health" } },
                rules = new object[] { new { name = "api", match = new { path = "/api" }, action = new { type = "forward", backendGroup = "pool" } } },
            },
        },
    };
}
