using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Acls;

public sealed class AclsApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Create_NormalisesEntries_AndNamesEachBadOne()
    {
        var project = await Seed.ProjectAsync();

        var acl = await _admin.CreateAsync<AclResponse>("acls", new
        {
            projectId = project.Id,
            name = "office",
            entries = new[] { new { cidr = "198.18.5.77/24", comment = "office" }, new { cidr = "2001:DB8::1", comment = "" } },
        });
        var bad = await _admin.PostAsync("acls", new
        {
            projectId = project.Id,
            name = "bad",
            entries = new[] { new { cidr = "198.18.0.0/15" }, new { cidr = "10.0.0.0/33" }, new { cidr = "any" } },
        });

        Assert.Equal(["198.18.5.0/24", "2001:db8::1/128"], acl.Entries.Select(e => e.Cidr));
        Assert.Equal(["entries[1].cidr", "entries[2].cidr"], (await bad.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Update_Entries_MovesTheRevisionOnlyWhileAListenerUsesIt()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        var lb = await Seed.LoadBalancerAsync(project, cluster, "198.18.90.1");
        var acl = await Seed.AclAsync(project, "198.18.0.0/15");
        var revision = await Seed.RevisionAsync(cluster.Id);

        await _admin.UpdateAsync<AclResponse>($"acls/{acl.Id}", new { name = "acl", entries = new[] { new { cidr = "198.18.0.0/16" } } });
        var unused = await Seed.RevisionAsync(cluster.Id);
        await _admin.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "ssh", protocol = "tcp", port = 22, acl = new { mode = "deny", aclId = acl.Id } });
        var attached = await Seed.RevisionAsync(cluster.Id);
        await _admin.UpdateAsync<AclResponse>($"acls/{acl.Id}", new { name = "acl", entries = new[] { new { cidr = "198.19.0.0/16" } } });

        Assert.Equal(revision, unused);
        Assert.Equal(attached + 1, await Seed.RevisionAsync(cluster.Id));
        await (await _admin.DeleteAsync($"acls/{acl.Id}")).ExpectAsync(HttpStatusCode.Conflict);
    }
}
