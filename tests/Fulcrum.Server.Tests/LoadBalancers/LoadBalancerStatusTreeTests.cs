using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.LoadBalancers;

public sealed class LoadBalancerStatusTreeTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Status_TwoListenersGroupsAndBackends_ShowsEachPartWithTheMastersHealth()
    {
        var cluster = await Seed.ClusterAsync();
        var project = await Seed.ProjectAsync();
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.71");
        var lb = await _admin.CreateAsync<LoadBalancerResponse>("load-balancers", new
        {
            projectId = project.Id,
            clusterId = cluster.Id,
            name = "shop",
            vip = "198.18.61.1",
            backendGroups = new object[]
            {
                new { name = "web", backends = new object[] { new { name = "web-1", address = "198.18.1.10", port = 80 }, new { name = "web-2", address = "198.18.1.11", port = 80 } } },
                new { name = "api", backends = new object[] { new { name = "api-1", address = "198.18.1.12", port = 8080 } } },
                new { name = "spare", backends = new object[] { new { name = "spare-1", address = "198.18.1.13", port = 80, adminState = "disabled" } } },
            },
            listeners = new object[]
            {
                new
                {
                    name = "http", protocol = "http", port = 80, defaultBackendGroup = "web",
                    rules = new object[] { new { name = "api", match = new { path = "/api" }, action = new { type = "forward", backendGroup = "api" } } },
                },
                new { name = "tcp", protocol = "tcp", port = 8443, defaultBackendGroup = "api" },
            },
        });
        var tree = await _admin.GetAsync<LoadBalancerTreeResponse>($"load-balancers/{lb.Id}/tree");
        var ids = tree.BackendGroups.SelectMany(g => g.Backends).ToDictionary(b => b.Name, b => b.Id);
        var revision = await Seed.RevisionAsync(cluster.Id);
        await master.ReportAsync(TestAgent.Report(revision, VrrpState.Master, backends:
        [
            new(ids["web-1"], BackendHealth.Up), new(ids["web-2"], BackendHealth.Down), new(ids["api-1"], BackendHealth.Up),
        ]));

        var status = await _admin.GetAsync<LoadBalancerStatusTree>($"load-balancers/{lb.Id}/status");
        var single = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}");

        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Degraded, 1, 1), (status.ProvisioningStatus, status.OperatingStatus, status.OnlineNodes, status.AppliedNodes));
        Assert.Equal((single.ProvisioningStatus, single.OperatingStatus), (status.ProvisioningStatus, status.OperatingStatus));
        Assert.Equal(["http", "tcp"], status.Listeners.Select(l => l.Name));
        var http = status.Listeners[0];
        Assert.Equal(OperatingStatus.Degraded, http.OperatingStatus);
        Assert.Equal(["web", "api"], http.BackendGroups.Select(g => g.Name));
        var rule = Assert.Single(http.Rules);
        Assert.Equal((RuleActionType.Forward, http.BackendGroups[1].Id, OperatingStatus.Online), (rule.Action, rule.BackendGroupId, rule.OperatingStatus));
        var web = http.BackendGroups[0];
        Assert.Equal(OperatingStatus.Degraded, web.OperatingStatus);
        Assert.Equal(
            [("web-1", BackendHealth.Up, OperatingStatus.Online), ("web-2", BackendHealth.Down, OperatingStatus.Error)],
            web.Backends.Select(b => (b.Name, b.Health, b.OperatingStatus)));
        Assert.All(status.Listeners.SelectMany(l => l.BackendGroups).SelectMany(g => g.Backends), b => Assert.Equal(ProvisioningStatus.Active, b.ProvisioningStatus));
        var tcp = status.Listeners[1];
        Assert.Equal((OperatingStatus.Online, "api"), (tcp.OperatingStatus, Assert.Single(tcp.BackendGroups).Name));
        var spare = Assert.Single(status.UnusedBackendGroups);
        Assert.Equal(("spare", "spare-1", OperatingStatus.Offline), (spare.Name, Assert.Single(spare.Backends).Name, spare.Backends[0].OperatingStatus));
    }

    [Fact]
    public async Task Status_BeforeAnyNodeApplied_IsPendingAndOffline()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.61.2");

        var status = await _admin.GetAsync<LoadBalancerStatusTree>($"load-balancers/{tree.LoadBalancer.Id}/status");

        Assert.Equal((ProvisioningStatus.Pending, OperatingStatus.Offline), (status.ProvisioningStatus, status.OperatingStatus));
        var backends = Assert.Single(Assert.Single(status.Listeners).BackendGroups).Backends;
        Assert.Equal([BackendHealth.Unknown, BackendHealth.Unknown], backends.Select(b => b.Health));
    }

    [Fact]
    public async Task Status_UnknownOrAnotherProjectsLoadBalancer_Is404()
    {
        var cluster = await Seed.ClusterAsync();
        var theirs = await Seed.LoadBalancerAsync(await Seed.ProjectAsync("theirs"), cluster, "198.18.61.3");
        using var member = factory.As(await Seed.TokenAsync(Role.Member, (await Seed.ProjectAsync("mine")).Id));

        await (await _admin.GetAsync("load-balancers/lb-unknown/status")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await member.GetAsync($"load-balancers/{theirs.Id}/status")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await member.GetAsync($"load-balancers/{theirs.Id}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
