using System.Diagnostics;
using System.Net;
using System.Text;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Http;
using Fulcrum.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fulcrum.Server.Tests.Http;

/// <summary>What a hostile body costs: bounded work, and an answer that lists a bounded number of errors.</summary>
public sealed class BadInputCostTests(FulcrumFactory factory, ITestOutputHelper output) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();

    [Fact]
    public async Task Join_AnonymousBodyWith100kUnknownFields_RefusedNamingTheBody()
    {
        using var anonymous = new ApiClient(factory.CreateClient(token: null));
        var body = new StringBuilder("{\"token\":\"fjt_x\"");
        for (var i = 0; i < 100_000; i++)
        {
            body.Append(",\"f").Append(i).Append("\":1");
        }

        var watch = Stopwatch.StartNew();
        var response = await anonymous.PostRawAsync("agent/join", body.Append('}').ToString());
        output.WriteLine($"100,000 unknown fields answered in {watch.ElapsedMilliseconds} ms");

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["body"], problem.Errors.Keys);
        Assert.Contains($"at most {JsonShape.MaxFieldsPerObject}", problem.Errors["body"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_NestedObjectWithTooManyFields_RefusedNamingThatObject()
    {
        var fields = string.Join(',', Enumerable.Range(0, JsonShape.MaxFieldsPerObject + 1).Select(i => $"\"f{i}\":1"));

        var response = await _admin.PostRawAsync("clusters", $"{{\"name\":\"c\",\"vrrp\":{{{fields}}}}}");

        Assert.Equal(["vrrp"], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task Post_UnknownFieldsUnderTheCap_EachNamed_AndTheGoodFieldsStillChecked()
    {
        var unknown = string.Join(',', Enumerable.Range(0, 50).Select(i => $"\"f{i}\":1"));

        var response = await _admin.PostRawAsync("projects", $"{{{unknown},\"name\":\"\"}}");

        var errors = (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors;
        Assert.Equal(51, errors.Count);
        Assert.Contains("name", errors.Keys);
        Assert.Contains("f49", errors.Keys);
    }

    [Fact]
    public async Task CreateAcl_10000BadEntries_ListsTheFirstHundredAndCountsEveryOne()
    {
        var project = await new Seed(_admin).ProjectAsync();
        var entries = Enumerable.Range(0, 10_000).Select(i => new { cidr = $"bad {i}" });

        var watch = Stopwatch.StartNew();
        var response = await _admin.PostAsync("acls", new { projectId = project.Id, name = "acl", entries });
        output.WriteLine($"10,000 bad ACL entries answered in {watch.ElapsedMilliseconds} ms");

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(ValidationErrors.MaxListed, problem.Errors.Count);
        Assert.Equal("10000", problem.Extensions["invalidFields"]?.ToString());
        Assert.Contains("9900 more are not", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("put")]
    [InlineData("delete")]
    public async Task IfMatch_WeakFormOfTheCurrentETag_RefusedWith412(string method)
    {
        var project = await new Seed(_admin).ProjectAsync();
        var etag = (await _admin.GetAsync($"projects/{project.Id}")).Headers.ETag!.ToString();

        var response = method == "put"
            ? await _admin.PutAsync($"projects/{project.Id}", new { name = "renamed" }, ifMatch: "W/" + etag)
            : await _admin.DeleteAsync($"projects/{project.Id}", ifMatch: "W/" + etag);

        await response.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("tenant", (await _admin.GetAsync<Core.Api.ProjectResponse>($"projects/{project.Id}")).Name);
    }
}
