using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.BackendGroups;

public sealed class BackendGroupsApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Delete_WhileAListenerUsesIt_Conflicts_ThenTakesItsBackendsAlong()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.70.1");

        var refused = await _admin.DeleteAsync($"backend-groups/{tree.Group.Id}");
        await _admin.UpdateAsync<ListenerResponse>($"listeners/{tree.Listener.Id}", new { name = "web", protocol = "http", port = 80 });
        var deleted = await _admin.DeleteAsync($"backend-groups/{tree.Group.Id}");

        Assert.Contains(tree.Listener.Id, (await refused.ReadProblemAsync(HttpStatusCode.Conflict)).Detail);
        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        await (await _admin.GetAsync($"backends/{tree.Backends[1].Id}")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Backend_Create_NormalisesAddressAndDefaults()
    {
        var group = await Seed.BackendGroupAsync(await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.70.2"));

        var backend = await Seed.BackendAsync(group, "2001:DB8:0:0::0:7", 443);

        Assert.Equal("2001:db8::7", backend.Address);
        Assert.Equal(1, backend.Weight);
        Assert.Equal(BackendAdminState.Enabled, backend.AdminState);
        Assert.Equal(BackendHealth.Unknown, backend.Health);
    }

    [Theory]
    [InlineData("weight", -1)]
    [InlineData("weight", 257)]
    [InlineData("port", 0)]
    [InlineData("port", 65536)]
    public async Task Backend_Create_OutOfRange_IsRefused(string field, int value)
    {
        var group = await Seed.BackendGroupAsync(await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.71.1"));
        var body = new Dictionary<string, object> { ["backendGroupId"] = group.Id, ["address"] = "198.18.1.1", ["port"] = 80, [field] = value };

        var response = await _admin.PostAsync("backends", body);

        Assert.Equal([field], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }
}
