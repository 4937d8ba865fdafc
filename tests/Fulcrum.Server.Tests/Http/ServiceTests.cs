using System.Net;
using System.Text.Json;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Http;

public sealed class ServiceTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();

    [Fact]
    public async Task HealthAndReadiness_AnswerWithoutAToken()
    {
        using var anonymous = factory.CreateClient(token: null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal("ready", await (await anonymous.GetAsync("/readyz")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_DescribesEveryResource()
    {
        using var anonymous = factory.CreateClient(token: null);

        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] resources = ["projects", "tokens", "clusters", "join-tokens", "nodes", "load-balancers", "listeners", "rules", "backend-groups", "backends", "certificates", "acls"];
        Assert.All(resources, resource => Assert.Contains($"/api/v1/{resource}/{{id}}", paths));
        Assert.Contains("/api/v1/clusters/{id}/snapshot", paths);
    }

    [Fact]
    public async Task OpenApi_EveryOperationHasASummary_ReadsClaimNoConflictOrPrecondition_WritesDo()
    {
        using var anonymous = factory.CreateClient(token: null);

        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));

        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Path: path.Name, Method: operation.Name, Statuses: operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList())))
            .ToList();
        Assert.All(operations.Where(o => o.Method == "get"), o => Assert.DoesNotContain("412", o.Statuses));
        Assert.Contains("412", operations.Single(o => o.Path == "/api/v1/backends/{id}" && o.Method == "put").Statuses);
        Assert.Contains(operations, o => o.Path == "/api/v1/backends/{id}" && o.Method == "patch");
        var unsummarised = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(operation => !operation.Value.TryGetProperty("summary", out _)).Select(operation => $"{operation.Name} {path.Name}"));
        Assert.Empty(unsummarised);
        Assert.StartsWith("<!doctype html>", await anonymous.GetStringAsync("/docs"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task List_PagesInCreationOrder()
    {
        var seed = new Seed(_admin);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await seed.ClusterAsync()).Id);
        }

        var all = await _admin.GetAsync<Page<ClusterResponse>>("clusters?limit=500");
        var mine = all.Items.Select(c => c.Id).Where(created.Contains).ToList();
        var offset = all.Items.ToList().FindIndex(c => c.Id == created[1]);
        var page = await _admin.GetAsync<Page<ClusterResponse>>($"clusters?offset={offset}&limit=2");

        Assert.Equal(created, mine);
        Assert.Equal(created[1..3], page.Items.Select(c => c.Id));
        Assert.Equal(all.Total, page.Total);
    }

    [Theory]
    [InlineData("clusters?limit=0", "limit")]
    [InlineData("clusters?limit=501", "limit")]
    [InlineData("clusters?offset=-1", "offset")]
    public async Task List_BadPaging_NamesTheParameter(string path, string field)
    {
        var problem = await (await _admin.GetAsync(path)).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.Errors.Keys);
    }

    [Fact]
    public async Task List_NonNumericPaging_IsABadRequestNotAnError()
    {
        var problem = await (await _admin.GetAsync("clusters?limit=ten")).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("limit", problem.Detail);
    }

    [Fact]
    public async Task Requests_WithoutOrWithAnUnknownToken_AreUnauthorized()
    {
        using var anonymous = factory.CreateClient(token: null);
        using var stranger = factory.CreateClient("fat_unknown");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/clusters")).StatusCode);
    }
}
