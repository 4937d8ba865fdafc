using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Agent;

public sealed class AgentAuthTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task NodeCredential_OnTheApi_IsForbidden()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.71");

        HttpResponseMessage[] responses =
        [
            await agent.Client.GetAsync("clusters"),
            await agent.Client.GetAsync($"clusters/{cluster.Id}/snapshot"),
            await agent.Client.GetAsync($"nodes/{agent.NodeId}"),
            await agent.Client.GetAsync($"projects/{project.Id}"),
            await agent.Client.GetAsync("load-balancers"),
            await agent.Client.PostAsync("projects", new { name = "by a node" }),
            await agent.Client.DeleteAsync($"nodes/{agent.NodeId}"),
        ];

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(agent.NodeId, (await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}")).Id);
    }

    [Fact]
    public async Task ApiTokens_OnTheAgentEndpoints_AreForbidden_NoTokenIsUnauthorized()
    {
        var project = await Seed.ProjectAsync();
        using var member = factory.As(await Seed.TokenAsync(Role.Member, project.Id));
        using var anonymous = new ApiClient(factory.CreateClient(token: null));
        var report = TestAgent.Report(applied: 1);

        await (await _admin.GetAsync("agent/snapshot?after=0&waitSeconds=0")).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await _admin.PostAsync("agent/heartbeat", report)).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await member.GetAsync("agent/snapshot?after=0&waitSeconds=0")).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await member.PostAsync("agent/heartbeat", report)).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await anonymous.GetAsync("agent/snapshot?after=0&waitSeconds=0")).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsync("agent/heartbeat", report)).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task NodeCredential_OfARemovedNode_IsRefused()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.72");
        await agent.ReportAsync(TestAgent.Report(applied: 1));

        await (await _admin.DeleteAsync($"nodes/{agent.NodeId}")).ExpectAsync(HttpStatusCode.NoContent);

        await (await agent.HeartbeatAsync(TestAgent.Report(applied: 1))).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await (await agent.PollAsync(after: 0, waitSeconds: 0)).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await (await _admin.GetAsync($"nodes/{agent.NodeId}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NodeCredential_Rotated_OldOneStopsWorking_NewOneWorks()
    {
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.73");

        var rotated = await (await agent.Client.PostAsync("agent/credential", new { })).ReadAsync<AgentJoinResponse>(HttpStatusCode.OK);
        using var renewed = new TestAgent(factory.As(rotated.Credential), rotated);

        Assert.Equal((agent.NodeId, cluster.Id), (rotated.NodeId, rotated.ClusterId));
        Assert.NotEqual(agent.Credential, rotated.Credential);
        await (await agent.HeartbeatAsync(TestAgent.Report(applied: 1))).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await (await agent.Client.PostAsync("agent/credential", new { })).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await renewed.ReportAsync(TestAgent.Report(applied: 1));
        Assert.True((await _admin.GetAsync<NodeResponse>($"nodes/{agent.NodeId}")).Online);
    }

    [Fact]
    public async Task NodeCredential_ThatWasNeverIssued_IsUnauthorized()
    {
        using var forged = factory.As("fnc_" + new string('a', 43));

        await (await forged.GetAsync("agent/snapshot?after=0&waitSeconds=0")).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }
}
