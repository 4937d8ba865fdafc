using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Audit;

public sealed class AuditEventsApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Update_ByAMember_NamesItsTokenAndOnlyTheFieldsItChanged()
    {
        var project = await Seed.ProjectAsync();
        var tree = await Seed.TreeAsync(project, await Seed.ClusterAsync(), "198.18.60.1");
        var token = await _admin.CreateAsync<TokenResponse>("tokens", new { name = "ci", role = Role.Member, projectId = project.Id });
        using var member = factory.As(token.Secret!);
        var backend = tree.Backends[0];

        await (await member.PatchAsync($"backends/{backend.Id}", new { weight = 3, name = "web-1" })).ExpectAsync(HttpStatusCode.OK);
        await (await member.PatchAsync($"backends/{backend.Id}", new { adminState = "drain" })).ExpectAsync(HttpStatusCode.OK);
        var events = await member.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceId={backend.Id}");

        Assert.Equal(["drain", "update", "create"], events.Items.Select(e => e.Action));
        var update = events.Items[1];
        Assert.Equal(new AuditActor(token.Id, Role.Member, null), update.Actor);
        Assert.Equal((project.Id, "backend", AuditOutcome.Success, 200), (update.ProjectId, update.ResourceType, update.Outcome, update.Status));
        Assert.Equal(["name", "weight"], update.Changes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, (int)update.Changes["weight"]!);
        Assert.Equal("web-1", (string)update.Changes["name"]!);
        Assert.Equal("drain", (string)events.Items[0].Changes["adminState"]!);
        Assert.Equal(Role.Admin, events.Items[2].Actor.Role);
        Assert.Equal("198.18.1.10", (string)events.Items[2].Changes["address"]!);
    }

    [Fact]
    public async Task CertificateUpload_TheEventNeverHoldsThePrivateKeyOrAnyPartOfIt()
    {
        var project = await Seed.ProjectAsync();
        var pem = TestCertificates.Create("audit.example.test", factory.Time.GetUtcNow());
        var certificate = await _admin.CreateAsync<CertificateResponse>(
            "certificates", new { projectId = project.Id, name = "shop", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
        var rotated = TestCertificates.Create("audit.example.test", factory.Time.GetUtcNow());
        await (await _admin.PatchAsync($"certificates/{certificate.Id}", new { certificatePem = rotated.CertificatePem, privateKeyPem = rotated.PrivateKeyPem }))
            .ExpectAsync(HttpStatusCode.OK);

        var response = await _admin.GetAsync($"audit-events?resourceType=certificate&resourceId={certificate.Id}");
        var body = await response.Content.ReadAsStringAsync();
        var events = await response.ReadAsync<Page<AuditEventResponse>>(HttpStatusCode.OK);

        Assert.Equal(["update", "create"], events.Items.Select(e => e.Action));
        Assert.All(events.Items, e => Assert.Equal(AuditEventResponse.Redacted, (string)e.Changes["protectedPrivateKey"]!));
        foreach (var key in new[] { pem.PrivateKeyPem, rotated.PrivateKeyPem })
        {
            var base64 = string.Concat(key.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal)).Select(line => line.Trim()));
            Assert.True(base64.Length > 100);
            for (var i = 0; i + 16 <= base64.Length; i += 8)
            {
                Assert.DoesNotContain(base64.Substring(i, 16), body, StringComparison.Ordinal);
                Assert.DoesNotContain(base64.Substring(i, 16).Replace("/", "\\/", StringComparison.Ordinal).Replace("+", "\\u002B", StringComparison.Ordinal), body, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task RefusedWrites_AreRecordedWithTheirStatusAndTitle()
    {
        var project = await Seed.ProjectAsync();
        var tree = await Seed.TreeAsync(project, await Seed.ClusterAsync(), "198.18.60.2");
        var token = await _admin.CreateAsync<TokenResponse>("tokens", new { name = "ci", role = Role.Member, projectId = project.Id });
        using var member = factory.As(token.Secret!);

        await (await member.PatchAsync($"backends/{tree.Backends[0].Id}", new { weight = 7 }, ifMatch: "\"999\"")).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await member.PostAsync("backends", new { backendGroupId = tree.Group.Id, address = "198.18.1.12", port = 70000 })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await member.DeleteAsync($"load-balancers/{tree.LoadBalancer.Id}")).ExpectAsync(HttpStatusCode.Conflict);
        await (await member.PatchAsync("listeners/lsn-nothing", new { port = 81 })).ExpectAsync(HttpStatusCode.NotFound);
        var unknown = (await member.GetAsync<Page<AuditEventResponse>>("audit-events?resourceId=lsn-nothing")).Items;
        var stale = (await member.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceId={tree.Backends[0].Id}")).Items[0];
        var refused = await member.GetAsync<Page<AuditEventResponse>>("audit-events?resourceType=backend&limit=1");
        var conflict = (await member.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceId={tree.LoadBalancer.Id}")).Items[0];
        var weight = await member.GetAsync<BackendResponse>($"backends/{tree.Backends[0].Id}");

        Assert.Equal(("update", AuditOutcome.Refused, 412, "Precondition failed"), (stale.Action, stale.Outcome, stale.Status, stale.Title));
        Assert.Equal((token.Id, project.Id), (stale.Actor.TokenId, stale.ProjectId));
        Assert.Empty(stale.Changes);
        var invalid = Assert.Single(refused.Items);
        Assert.Equal(("create", AuditOutcome.Refused, 400, "One or more fields are invalid."), (invalid.Action, invalid.Outcome, invalid.Status, invalid.Title));
        Assert.Equal(project.Id, invalid.ProjectId);
        Assert.Equal(("delete", 409, "Conflict"), (conflict.Action, conflict.Status, conflict.Title));
        Assert.Equal(1, weight.Weight);
        Assert.Equal([("update", "listener", 404, "Not found")], unknown.Select(e => (e.Action, e.ResourceType, e.Status, e.Title)));
    }

    [Fact]
    public async Task List_AMember_SeesOnlyTheirProjectsEvents()
    {
        var cluster = await Seed.ClusterAsync();
        var mine = await Seed.ProjectAsync("mine");
        var theirs = await Seed.ProjectAsync("theirs");
        var myLb = await Seed.LoadBalancerAsync(mine, cluster, "198.18.60.3");
        var theirLb = await Seed.LoadBalancerAsync(theirs, cluster, "198.18.60.4");
        using var member = factory.As(await Seed.TokenAsync(Role.Viewer, mine.Id));
        await (await _admin.PatchAsync($"load-balancers/{theirLb.Id}", new { name = "secret-plans" })).ExpectAsync(HttpStatusCode.OK);

        var all = await member.GetAsync("audit-events?limit=500");
        var body = await all.Content.ReadAsStringAsync();
        var page = await all.ReadAsync<Page<AuditEventResponse>>(HttpStatusCode.OK);
        var theirsAsked = await member.GetAsync<Page<AuditEventResponse>>($"audit-events?projectId={theirs.Id}");
        var theirLbAsked = await member.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceId={theirLb.Id}");
        var adminSees = await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceId={theirLb.Id}");

        Assert.Contains(page.Items, e => e.ResourceId == myLb.Id && e.Action == "create");
        Assert.All(page.Items, e => Assert.Equal(mine.Id, e.ProjectId));
        Assert.DoesNotContain(theirLb.Id, body, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.Id, body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-plans", body, StringComparison.Ordinal);
        Assert.Equal(0, theirsAsked.Total);
        Assert.Equal(0, theirLbAsked.Total);
        Assert.Equal([("update", 200), ("create", 201)], adminSees.Items.Select(e => (e.Action, e.Status)));
    }

    [Fact]
    public async Task List_FiltersByTypeIdAndTime()
    {
        var project = await Seed.ProjectAsync();
        var tree = await Seed.TreeAsync(project, await Seed.ClusterAsync(), "198.18.60.5");
        var listenerEvent = Assert.Single((await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceId={tree.Listener.Id}")).Items);
        var at = Uri.EscapeDataString(listenerEvent.At.ToString("O"));

        var groups = await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?projectId={project.Id}&resourceType=backend-group");
        var since = await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?projectId={project.Id}&since={at}");
        var until = await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?projectId={project.Id}&until={at}");
        var paged = await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?projectId={project.Id}&offset=1&limit=2");
        var inTheLoadBalancer = await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?loadBalancerId={tree.LoadBalancer.Id}");
        var inTheCluster = await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?clusterId={tree.LoadBalancer.ClusterId}");

        Assert.Equal([tree.Group.Id], groups.Items.Select(e => e.ResourceId));
        Assert.Equal([tree.Listener.Id], since.Items.Select(e => e.ResourceId));
        Assert.Equal([tree.Backends[1].Id, tree.Backends[0].Id, tree.Group.Id, tree.LoadBalancer.Id, project.Id], until.Items.Select(e => e.ResourceId));
        Assert.Equal((6, 1, 2), (paged.Total, paged.Offset, paged.Limit));
        Assert.Equal([tree.Backends[1].Id, tree.Backends[0].Id], paged.Items.Select(e => e.ResourceId));
        Assert.Equal(
            [tree.Listener.Id, tree.Backends[1].Id, tree.Backends[0].Id, tree.Group.Id, tree.LoadBalancer.Id],
            inTheLoadBalancer.Items.Select(e => e.ResourceId));
        Assert.Equal([.. inTheLoadBalancer.Items.Select(e => e.ResourceId), tree.LoadBalancer.ClusterId], inTheCluster.Items.Select(e => e.ResourceId));
    }

    [Fact]
    public async Task List_BadFilters_AreA400NamingEveryField()
    {
        var response = await _admin.GetAsync("audit-events?resourceType=lb&since=yesterday&until=2026-13-01&limit=0");

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["limit", "resourceType", "since", "until"], problem.Errors.Keys.Order(StringComparer.Ordinal));
        var reversed = await (await _admin.GetAsync("audit-events?since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z")).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["until"], reversed.Errors.Keys);
    }

    [Fact]
    public async Task DryRunsAndReads_AreNotRecorded_TheRealDeleteIs()
    {
        var project = await Seed.ProjectAsync();
        var lb = await Seed.LoadBalancerAsync(project, await Seed.ClusterAsync(), "198.18.60.6");

        await (await _admin.PatchAsync($"load-balancers/{lb.Id}?dryRun=true", new { name = "maybe" })).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PatchAsync($"load-balancers/{lb.Id}?dryRun=true", new { vip = "bad" })).ExpectAsync(HttpStatusCode.BadRequest);
        await (await _admin.GetAsync($"load-balancers/{lb.Id}")).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.DeleteAsync($"load-balancers/{lb.Id}")).ExpectAsync(HttpStatusCode.NoContent);
        var events = await _admin.GetAsync<Page<AuditEventResponse>>($"audit-events?resourceId={lb.Id}");

        Assert.Equal([("delete", 204), ("create", 201)], events.Items.Select(e => (e.Action, e.Status)));
    }

    [Fact]
    public async Task TokensJoinsAndRotations_AreRecordedWithoutTheirSecrets_HeartbeatsNotAtAll()
    {
        var cluster = await Seed.ClusterAsync();
        var token = await _admin.CreateAsync<TokenResponse>("tokens", new { name = "ops", role = Role.Admin });
        var join = await _admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id });
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.61");
        await (await agent.HeartbeatAsync(TestAgent.Report(0))).ExpectAsync(HttpStatusCode.OK);
        var rotated = await (await agent.Client.PostAsync("agent/credential", new { })).ReadAsync<AgentJoinResponse>(HttpStatusCode.OK);

        var response = await _admin.GetAsync("audit-events?limit=500");
        var body = await response.Content.ReadAsStringAsync();
        var events = await response.ReadAsync<Page<AuditEventResponse>>(HttpStatusCode.OK);

        var created = Assert.Single(events.Items, e => e.ResourceId == token.Id);
        Assert.Equal(AuditEventResponse.Redacted, (string)created.Changes["secretHash"]!);
        Assert.Equal("admin", (string)created.Changes["role"]!);
        Assert.Contains(events.Items, e => e.ResourceId == join.Id && e.ResourceType == "join-token");
        var joined = Assert.Single(events.Items, e => e.ResourceId == agent.NodeId && e.Action == "join");
        Assert.Equal(("join", agent.NodeId), (joined.Action, joined.Actor.NodeId));
        Assert.Equal(AuditEventResponse.Redacted, (string)joined.Changes["credentialHash"]!);
        var rotation = Assert.Single(events.Items, e => e.ResourceId == agent.NodeId && e.Action == "rotate-credential");
        Assert.Equal((agent.NodeId, cluster.Id, AuditEventResponse.Redacted), (rotation.Actor.NodeId, rotation.ClusterId, (string)rotation.Changes["credentialHash"]!));
        Assert.Equal(2, events.Items.Count(e => e.ResourceId == agent.NodeId));
        foreach (var secret in new[] { token.Secret!, join.Secret!, agent.Credential, rotated.Credential, factory.AdminToken })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }
    }
}
