using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Nodes;

public sealed class NodesApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private readonly ApiClient _anonymous = new(factory.CreateClient(token: null));
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Join_WithAJoinToken_EnrolsTheNodeWithTheNextFreePriority()
    {
        var cluster = await Seed.ClusterAsync();
        var token = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id, description = "rack 1", maxUses = 2 });

        var first = await JoinAsync(token.Secret!, "198.18.0.11");
        var second = await JoinAsync(token.Secret!, "198.18.0.12");
        var nodes = await _admin.GetAsync<Page<NodeResponse>>($"nodes?clusterId={cluster.Id}");

        Assert.Equal([(first.NodeId, 100), (second.NodeId, 90)], nodes.Items.Select(n => (n.Id, n.Priority)));
        Assert.All(nodes.Items, n => Assert.Equal(VrrpState.Unknown, n.VrrpState));
        Assert.All(nodes.Items, n => Assert.False(n.Online));
        Assert.StartsWith("fnc_", first.Credential, StringComparison.Ordinal);
        Assert.Null((await _admin.GetAsync<JoinTokenResponse>($"join-tokens/{token.Id}")).Secret);
    }

    [Fact]
    public async Task Join_TwentyNodesAtOnce_EveryOneEnrolledWithADistinctPriority()
    {
        var cluster = await Seed.ClusterAsync();
        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id })));

        var responses = await Task.WhenAll(tokens.Select((token, i) =>
            _anonymous.PostAsync("agent/join", new { token = token.Secret, address = $"198.18.1.{i + 10}", @interface = "eth0" })));

        foreach (var response in responses)
        {
            await response.ExpectAsync(HttpStatusCode.Created);
        }

        var nodes = await _admin.GetAsync<Page<NodeResponse>>($"nodes?clusterId={cluster.Id}");
        Assert.Equal(20, nodes.Items.Select(n => n.Priority).Distinct().Count());
    }

    /// <summary>How an operator bootstraps a rack: one token, every node joining in parallel.</summary>
    [Fact]
    public async Task Join_TwentyNodesAtOnceWithOneToken_EveryOneEnrolledAndCounted()
    {
        var cluster = await Seed.ClusterAsync();
        var token = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id, maxUses = 20 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            _anonymous.PostAsync("agent/join", new { token = token.Secret, address = $"198.18.2.{i + 10}", @interface = "eth0" })));

        foreach (var response in responses)
        {
            await response.ExpectAsync(HttpStatusCode.Created);
        }

        Assert.Equal(20, (await _admin.GetAsync<JoinTokenResponse>($"join-tokens/{token.Id}")).Uses);
        Assert.Equal(20, (await _admin.GetAsync<Page<NodeResponse>>($"nodes?clusterId={cluster.Id}")).Total);
    }

    [Fact]
    public async Task Join_WithAOneUseToken_SecondJoinIsRefused()
    {
        var cluster = await Seed.ClusterAsync();
        var token = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id });

        var first = await JoinAsync(token.Secret!, "198.18.0.13");
        var second = await _anonymous.PostAsync("agent/join", new { token = token.Secret, address = "198.18.0.14", @interface = "eth0" });
        var spent = await _admin.GetAsync<JoinTokenResponse>($"join-tokens/{token.Id}");
        var nodes = await _admin.GetAsync<Page<NodeResponse>>($"nodes?clusterId={cluster.Id}");

        Assert.Equal((1, 0), (token.MaxUses, token.Uses));
        Assert.Contains("all it allows", (await second.ReadProblemAsync(HttpStatusCode.Forbidden)).Detail);
        Assert.Equal((1, 1), (spent.MaxUses, spent.Uses));
        Assert.Equal([first.NodeId], nodes.Items.Select(n => n.Id));
    }

    [Fact]
    public async Task Join_WithMaxUses_EnrolsThatManyNodesAndNoMore()
    {
        var cluster = await Seed.ClusterAsync();
        var token = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id, maxUses = 3 });

        foreach (var address in new[] { "198.18.0.15", "198.18.0.16", "198.18.0.17" })
        {
            await JoinAsync(token.Secret!, address);
        }

        var fourth = await _anonymous.PostAsync("agent/join", new { token = token.Secret, address = "198.18.0.18", @interface = "eth0" });

        await fourth.ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(3, (await _admin.GetAsync<JoinTokenResponse>($"join-tokens/{token.Id}")).Uses);
        Assert.Equal(3, (await _admin.GetAsync<Page<NodeResponse>>($"nodes?clusterId={cluster.Id}")).Total);
    }

    [Fact]
    public async Task Join_WithARevokedOrExpiredToken_IsRefusedSayingWhy()
    {
        var cluster = await Seed.ClusterAsync();
        var revoked = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id });
        var expiring = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id, ttlSeconds = 60 });
        await (await _admin.DeleteAsync($"join-tokens/{revoked.Id}")).ExpectAsync(HttpStatusCode.NoContent);
        factory.Time.Advance(TimeSpan.FromMinutes(2));

        var revokedJoin = await _anonymous.PostAsync("agent/join", new { token = revoked.Secret, address = "198.18.0.21", @interface = "eth0" });
        var expiredJoin = await _anonymous.PostAsync("agent/join", new { token = expiring.Secret, address = "198.18.0.22", @interface = "eth0" });
        var unknownJoin = await _anonymous.PostAsync("agent/join", new { token = "fjt_not-a-token", address = "198.18.0.23", @interface = "eth0" });

        Assert.Contains("revoked", (await revokedJoin.ReadProblemAsync(HttpStatusCode.Forbidden)).Detail);
        Assert.Contains("expired", (await expiredJoin.ReadProblemAsync(HttpStatusCode.Forbidden)).Detail);
        Assert.Contains("not valid", (await unknownJoin.ReadProblemAsync(HttpStatusCode.Forbidden)).Detail);
        Assert.Equal(0, (await _admin.GetAsync<Page<NodeResponse>>($"nodes?clusterId={cluster.Id}")).Total);
    }

    [Fact]
    public async Task Update_PriorityTakenByAnotherNode_Conflicts_FreeOne_MovesTheRevision()
    {
        var cluster = await Seed.ClusterAsync();
        var token = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id, maxUses = 2 });
        var first = await JoinAsync(token.Secret!, "198.18.0.31");
        await JoinAsync(token.Secret!, "198.18.0.32");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var taken = await _admin.PutAsync($"nodes/{first.NodeId}", new { name = "lb-a", @interface = "eth1", priority = 90 });
        var moved = await _admin.UpdateAsync<NodeResponse>($"nodes/{first.NodeId}", new { name = "lb-a", @interface = "eth1", priority = 150 });

        await taken.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal((150, "eth1"), (moved.Priority, moved.Interface));
        Assert.Equal(revision + 1, await Seed.RevisionAsync(cluster.Id));
    }

    [Fact]
    public async Task Status_FollowsWhatTheOnlineNodesApplied()
    {
        var cluster = await Seed.ClusterAsync();
        var token = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id, maxUses = 2 });
        var a = await JoinAsync(token.Secret!, "198.18.0.41");
        var b = await JoinAsync(token.Secret!, "198.18.0.42");
        var lb = await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), cluster, "198.18.95.1");
        var revision = await Seed.RevisionAsync(cluster.Id);

        await ReportAsync(a, applied: revision);
        await ReportAsync(b, applied: revision - 1);
        var pending = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}");
        await ReportAsync(b, applied: revision);
        var active = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}");
        var other = await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), cluster, "198.18.95.2");
        var refused = await Seed.RevisionAsync(cluster.Id);
        await ReportAsync(a, applied: refused);
        await ReportAsync(b, applied: revision, failedRevision: refused);
        var unaffected = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}");
        var failed = await _admin.GetAsync<LoadBalancerResponse>($"load-balancers/{other.Id}");

        Assert.Equal((ProvisioningStatus.Pending, OperatingStatus.Online), (pending.ProvisioningStatus, pending.OperatingStatus));
        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Online), (active.ProvisioningStatus, active.OperatingStatus));
        Assert.Equal((ProvisioningStatus.Active, OperatingStatus.Online), (unaffected.ProvisioningStatus, unaffected.OperatingStatus));
        Assert.Equal((ProvisioningStatus.Error, OperatingStatus.Error), (failed.ProvisioningStatus, failed.OperatingStatus));
    }

    private async Task<AgentJoinResponse> JoinAsync(string token, string address) =>
        await (await _anonymous.PostAsync("agent/join", new { token, address, @interface = "eth0" })).ReadAsync<AgentJoinResponse>(HttpStatusCode.Created);

    /// <summary>A heartbeat of the node's agent, with its node credential.</summary>
    private async Task ReportAsync(AgentJoinResponse node, long applied, long? failedRevision = null)
    {
        using var agent = new TestAgent(factory.As(node.Credential), node);
        await agent.ReportAsync(TestAgent.Report(applied, failedRevision: failedRevision));
    }
}
