using System.Net;
using System.Text.Json.Nodes;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Http;

/// <summary>PUT takes back what a GET answered; PATCH merges (RFC 7396) onto the current state.</summary>
public sealed class EditTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    private async Task<Tree> TreeAsync() => await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.70.1");

    private async Task<JsonObject> ReadAsync(string path) =>
        JsonNode.Parse(await (await _admin.GetAsync(path)).Content.ReadAsStringAsync())!.AsObject();

    [Theory]
    [InlineData("backends", "weight", 7)]
    [InlineData("listeners", "port", 8080)]
    [InlineData("backend-groups", "description", "edited")]
    [InlineData("load-balancers", "description", "edited")]
    public async Task Put_WhatAGetAnswered_WithOneFieldChanged_ChangesThatField(string collection, string field, object value)
    {
        var tree = await TreeAsync();
        var id = collection switch
        {
            "backends" => tree.Backends[0].Id,
            "listeners" => tree.Listener.Id,
            "backend-groups" => tree.Group.Id,
            _ => tree.LoadBalancer.Id,
        };
        var read = await ReadAsync($"{collection}/{id}");
        read[field] = JsonValue.Create(value);

        var response = await _admin.PutRawAsync($"{collection}/{id}", read.ToJsonString());

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValue.Create(value)!.ToJsonString(), (await ReadAsync($"{collection}/{id}"))[field]!.ToJsonString());
    }

    [Fact]
    public async Task Put_ReadOnlyFieldsThatDiffer_AreNamed_AndNothingChanges()
    {
        var tree = await TreeAsync();
        var backend = tree.Backends[0];
        var read = await ReadAsync($"backends/{backend.Id}");
        read["id"] = "be-someoneelse";
        read["createdAt"] = "2001-01-01T00:00:00Z";
        read["weight"] = 9;

        var problem = await (await _admin.PutRawAsync($"backends/{backend.Id}", read.ToJsonString())).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["createdAt", "id"], problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(backend.Weight, (await _admin.GetAsync<BackendResponse>($"backends/{backend.Id}")).Weight);
    }

    [Fact]
    public async Task Patch_ChangesOnlyTheGivenFields_AndNullResetsToTheDefault()
    {
        var tree = await TreeAsync();
        var backend = tree.Backends[0];

        var weighted = await (await _admin.PatchAsync($"backends/{backend.Id}", new { weight = 5, backup = true })).ReadAsync<BackendResponse>(HttpStatusCode.OK);
        var reset = await (await _admin.PatchAsync($"backends/{backend.Id}", new JsonObject { ["weight"] = null })).ReadAsync<BackendResponse>(HttpStatusCode.OK);

        Assert.Equal((5, true, backend.Address, backend.Port), (weighted.Weight, weighted.Backup, weighted.Address, weighted.Port));
        Assert.Equal((BackendRequest.DefaultWeight, true), (reset.Weight, reset.Backup));
    }

    [Fact]
    public async Task Patch_MergesNestedObjects_OnAListener()
    {
        var tree = await TreeAsync();

        var first = await (await _admin.PatchAsync($"listeners/{tree.Listener.Id}", new { timeouts = new { clientMs = 1000 } })).ReadAsync<ListenerResponse>(HttpStatusCode.OK);

        Assert.Equal(1000, first.Timeouts.ClientMs);
        Assert.Equal(tree.Listener.Timeouts.ServerMs, first.Timeouts.ServerMs);
        Assert.Equal(tree.Listener.Port, first.Port);
    }

    [Fact]
    public async Task Patch_Refusals_StaleIfMatch_BadField_WrongMediaType_ReadOnlyField()
    {
        var tree = await TreeAsync();
        var id = tree.Backends[0].Id;
        var etag = (await _admin.GetAsync($"backends/{id}")).Headers.ETag!.Tag;
        await (await _admin.PatchAsync($"backends/{id}", new { weight = 2 }, etag)).ExpectAsync(HttpStatusCode.OK);

        await (await _admin.PatchAsync($"backends/{id}", new { weight = 3 }, etag)).ExpectAsync(HttpStatusCode.PreconditionFailed);
        var bad = await (await _admin.PatchAsync($"backends/{id}", new { weight = 1000 })).ReadProblemAsync(HttpStatusCode.BadRequest);
        await (await _admin.PatchAsync($"backends/{id}", new { weight = 3 }, mediaType: "application/json")).ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        var readOnly = await (await _admin.PatchAsync($"backends/{id}", new { health = "down" })).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["weight"], bad.Errors.Keys);
        Assert.Equal(["health"], readOnly.Errors.Keys);
        Assert.Equal(2, (await _admin.GetAsync<BackendResponse>($"backends/{id}")).Weight);
    }

    [Fact]
    public async Task Patch_AProject_AndAnAcl()
    {
        var project = await Seed.ProjectAsync();
        var acl = await Seed.AclAsync(project, "10.0.0.0/8");

        var renamed = await (await _admin.PatchAsync($"projects/{project.Id}", new { name = "renamed" })).ReadAsync<ProjectResponse>(HttpStatusCode.OK);
        var entries = await (await _admin.PatchAsync($"acls/{acl.Id}", new { entries = new[] { new { cidr = "192.0.2.0/24" } } })).ReadAsync<AclResponse>(HttpStatusCode.OK);

        Assert.Equal("renamed", renamed.Name);
        Assert.Equal(acl.Name, entries.Name);
        Assert.Equal(["192.0.2.0/24"], entries.Entries.Select(e => e.Cidr));
    }
}
