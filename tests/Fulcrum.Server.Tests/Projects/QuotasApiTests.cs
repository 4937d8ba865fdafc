using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Projects;

public sealed class QuotasApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task CreateProject_WithoutQuotas_ShowsTheDefaults_AndAnAdminChangesOne()
    {
        var project = await Seed.ProjectAsync();

        var changed = await _admin.UpdateAsync<ProjectResponse>($"projects/{project.Id}", new { name = "tenant", quotas = new { backends = 5 } });

        Assert.Equal(ProjectQuotas.Defaults, project.Quotas);
        Assert.Equal(ProjectQuotas.Defaults with { Backends = 5 }, changed.Quotas);
    }

    [Fact]
    public async Task UpdateProject_NegativeQuota_400NamingIt()
    {
        var project = await Seed.ProjectAsync();

        var response = await _admin.PutAsync($"projects/{project.Id}", new { name = "tenant", quotas = new { listeners = -1 } });

        Assert.Equal(["quotas.listeners"], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task Create_BeyondEachQuota_403QuotaExceeded_AndNothingWritten()
    {
        var project = await Seed.ProjectAsync();
        await _admin.UpdateAsync<ProjectResponse>($"projects/{project.Id}", new
        {
            name = "tenant",
            quotas = new { loadBalancers = 1, listeners = 1, backends = 1, certificates = 1, aclEntries = 3 },
        });
        var lb = await Seed.LoadBalancerAsync(project, await Seed.ClusterAsync("198.18.81.0/24"));
        var group = await Seed.BackendGroupAsync(lb);
        await Seed.BackendAsync(group, "198.18.1.10");
        await Seed.ListenerAsync(lb, defaultBackendGroupId: group.Id);
        var pem = TestCertificates.SelfSigned(factory.Time.GetUtcNow());
        await _admin.CreateAsync<CertificateResponse>("certificates", new { projectId = project.Id, name = "c", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
        var acl = await Seed.AclAsync(project, "203.0.113.0/24", "198.51.100.0/24");

        var refused = new[]
        {
            await _admin.PostAsync("load-balancers", new { projectId = project.Id, clusterId = lb.ClusterId, name = "second" }),
            await _admin.PostAsync("listeners", new { loadBalancerId = lb.Id, name = "second", protocol = "tcp", port = 443 }),
            await _admin.PostAsync("backends", new { backendGroupId = group.Id, address = "198.18.1.11", port = 80 }),
            await _admin.PostAsync("certificates", new { projectId = project.Id, name = "second", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem }),
            await _admin.PostAsync("acls", new { projectId = project.Id, name = "second", entries = new[] { new { cidr = "192.0.2.0/24" }, new { cidr = "192.0.2.1" } } }),
            await _admin.PutAsync($"acls/{acl.Id}", new { name = "acl", entries = new[] { new { cidr = "192.0.2.0/24" }, new { cidr = "192.0.2.1" }, new { cidr = "192.0.2.2" }, new { cidr = "192.0.2.3" } } }),
        };

        foreach (var response in refused)
        {
            var problem = await response.ReadProblemAsync(HttpStatusCode.Forbidden);
            Assert.Equal("Quota exceeded", problem.Title);
        }

        Assert.Equal(1, (await _admin.GetAsync<Page<LoadBalancerResponse>>($"load-balancers?projectId={project.Id}")).Total);
        Assert.Equal(2, (await _admin.GetAsync<AclResponse>($"acls/{acl.Id}")).Entries.Count);
        await (await _admin.PostAsync("acls", new { projectId = project.Id, name = "fits", entries = new[] { new { cidr = "192.0.2.0/24" } } })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(new ProjectUsage(1, 1, 1, 1, 3), await _admin.GetAsync<ProjectUsage>($"projects/{project.Id}/usage"));
    }

    [Fact]
    public async Task Usage_IsSeenByTheProjectsOwnTokens_AndNotFoundForAnother()
    {
        var project = await Seed.ProjectAsync();
        var other = await Seed.ProjectAsync("other");
        await Seed.LoadBalancerAsync(project, await Seed.ClusterAsync("198.18.82.0/24"));
        using var viewer = factory.As(await Seed.TokenAsync(Role.Viewer, project.Id));

        Assert.Equal(new ProjectUsage(1, 0, 0, 0, 0), await viewer.GetAsync<ProjectUsage>($"projects/{project.Id}/usage"));
        await (await viewer.GetAsync($"projects/{other.Id}/usage")).ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
