using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Auth;

/// <summary>
/// Tenants cannot see each other: a project token gets 404 for every object of another project, exactly as for an id
/// that does not exist, sees none of them in lists and cannot hang anything under them. Viewers only read; members
/// cannot reach what only admins may do; tokens expire and their secrets are shown once.
/// </summary>
public sealed class IsolationTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private static TestCertificate? s_pem;

    public static TheoryData<Role> ProjectRoles => [Role.Member, Role.Viewer];

    [Theory]
    [MemberData(nameof(ProjectRoles))]
    public async Task Get_OtherProjectsObject_Returns404LikeAMissingId(Role role)
    {
        using var tenants = await TenantsAsync(role);
        var (_, other, caller) = tenants;
        foreach (var (kind, path, _) in Objects(other))
        {
            var response = await caller.GetAsync(path);
            await response.ExpectAsync(HttpStatusCode.NotFound);
            var missing = await caller.GetAsync(MissingId(path));
            Assert.True(
                await WithoutIdAsync(response, path) == await WithoutIdAsync(missing, MissingId(path)),
                $"GET of another project's {kind} must answer like GET of an id that does not exist.");
        }
    }

    [Theory]
    [MemberData(nameof(ProjectRoles))]
    public async Task Update_OtherProjectsObject_Returns404AndWritesNothing(Role role)
    {
        using var admin = factory.Admin();
        using var tenants = await TenantsAsync(role);
        var (_, other, caller) = tenants;
        var before = await ApiState.CaptureAsync(admin);

        foreach (var (kind, path, update) in Objects(other))
        {
            var response = await caller.PutAsync(path, update);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"PUT {kind} of another project as {role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        ApiState.AssertUnchanged(before, await ApiState.CaptureAsync(admin), $"PUT as a {role} of another project");
        foreach (var (kind, path, update) in Objects(other))
        {
            await (await admin.PutAsync(path, update)).ExpectAsync(HttpStatusCode.OK);
        }
    }

    [Theory]
    [MemberData(nameof(ProjectRoles))]
    public async Task Delete_OtherProjectsObject_Returns404AndKeepsIt(Role role)
    {
        using var admin = factory.Admin();
        using var tenants = await TenantsAsync(role);
        var (_, other, caller) = tenants;
        var before = await ApiState.CaptureAsync(admin);

        foreach (var (kind, path, _) in Objects(other).Reverse())
        {
            var response = await caller.DeleteAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"DELETE {kind} of another project as {role}: {(int)response.StatusCode}");
        }

        ApiState.AssertUnchanged(before, await ApiState.CaptureAsync(admin), $"DELETE as a {role} of another project");
    }

    [Theory]
    [MemberData(nameof(ProjectRoles))]
    public async Task List_AsProjectToken_ShowsOwnObjectsAndNoneOfOtherProjects(Role role)
    {
        using var tenants = await TenantsAsync(role);
        var (own, other, caller) = tenants;
        var otherIds = Objects(other).Select(o => o.Path.Split('/')[1]).ToHashSet(StringComparer.Ordinal);
        (string Path, string? OwnId)[] lists =
        [
            ("projects", own.Project.Id),
            ("load-balancers", own.LoadBalancer.Id), ($"load-balancers?projectId={other.Project.Id}", null),
            ("listeners", own.Listener.Id), ($"listeners?loadBalancerId={other.LoadBalancer.Id}", null),
            ("rules", own.Rule.Id), ($"rules?listenerId={other.Listener.Id}", null),
            ("backend-groups", own.Group.Id), ($"backend-groups?loadBalancerId={other.LoadBalancer.Id}", null),
            ("backends", own.Backend.Id), ($"backends?backendGroupId={other.Group.Id}", null),
            ("certificates", own.Certificate.Id), ($"certificates?projectId={other.Project.Id}", null),
            ("acls", own.Acl.Id), ($"acls?projectId={other.Project.Id}", null),
        ];

        foreach (var (path, ownId) in lists)
        {
            var page = JsonNode.Parse(await (await caller.GetAsync(path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "limit=500")).Content.ReadAsStringAsync())!;
            var ids = page["items"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()).ToList();
            Assert.True(ids.Intersect(otherIds).ToList() is [], $"GET {path} as a {role} shows another project's {string.Join(", ", ids.Intersect(otherIds))}");
            Assert.True(page["total"]!.GetValue<int>() == ids.Count, $"GET {path} as a {role} counts {page["total"]} items but shows {ids.Count}");
            Assert.True(ownId is null ? ids.Count == 0 : ids.Contains(ownId), $"GET {path} as a {role} shows [{string.Join(", ", ids)}]");
        }

        Assert.Equal([own.Project.Id], JsonNode.Parse(await (await caller.GetAsync("projects")).Content.ReadAsStringAsync())!["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Create_UnderOtherProjectsParent_Returns400NamingTheParentAndWritesNothing()
    {
        using var admin = factory.Admin();
        using var tenants = await TenantsAsync(Role.Member);
        var (own, other, member) = tenants;
        var pem = Pem();
        (string Path, object Body, string Field, string MissingId)[] creates =
        [
            ("load-balancers", new { projectId = other.Project.Id, clusterId = own.LoadBalancer.ClusterId, name = "lb", vip = "198.18.7.30" }, "projectId", "prj-0000000000000000"),
            ("certificates", new { projectId = other.Project.Id, name = "cert", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem }, "projectId", "prj-0000000000000000"),
            ("acls", new { projectId = other.Project.Id, name = "acl", entries = Array.Empty<object>() }, "projectId", "prj-0000000000000000"),
            ("backend-groups", new { loadBalancerId = other.LoadBalancer.Id, name = "group" }, "loadBalancerId", "lb-0000000000000000"),
            ("backends", new { backendGroupId = other.Group.Id, address = "198.18.1.30", port = 80 }, "backendGroupId", "bg-0000000000000000"),
            ("listeners", new { loadBalancerId = other.LoadBalancer.Id, name = "l", protocol = "tcp", port = 8081 }, "loadBalancerId", "lb-0000000000000000"),
            ("rules", new { listenerId = other.Listener.Id, name = "r", match = new { path = "/" }, action = new { type = "reject" } }, "listenerId", "lsn-0000000000000000"),
            ("listeners", new { loadBalancerId = own.LoadBalancer.Id, name = "l", protocol = "http", port = 8082, defaultBackendGroupId = other.Group.Id }, "defaultBackendGroupId", "bg-0000000000000000"),
            ("listeners", new { loadBalancerId = own.LoadBalancer.Id, name = "l", protocol = "https", port = 8443, tls = new { certificateId = other.Certificate.Id } }, "tls.certificateId", "cert-0000000000000000"),
            ("listeners", new { loadBalancerId = own.LoadBalancer.Id, name = "l", protocol = "http", port = 8083, acl = new { mode = "deny", aclId = other.Acl.Id } }, "acl.aclId", "acl-0000000000000000"),
            ("rules", new { listenerId = own.Listener.Id, name = "r", match = new { path = "/" }, action = new { type = "forward", backendGroupId = other.Group.Id } }, "action.backendGroupId", "bg-0000000000000000"),
        ];
        var before = await ApiState.CaptureAsync(admin);

        foreach (var (path, body, field, missingId) in creates)
        {
            var json = ApiClient.Json(body);
            var otherId = Objects(other).Select(o => o.Path.Split('/')[1]).Single(id => json.Contains($"\"{id}\"", StringComparison.Ordinal));
            var problem = await (await member.PostAsync(path, body)).ReadProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.Errors.ContainsKey(field), $"POST {path} under another project's {otherId} must name {field}, named {string.Join(", ", problem.Errors.Keys)}");

            var missing = await (await member.PostRawAsync(path, json.Replace(otherId, missingId, StringComparison.Ordinal))).ReadProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal(missing.Errors[field].Select(e => e.Replace(missingId, "{id}", StringComparison.Ordinal)), problem.Errors[field].Select(e => e.Replace(otherId, "{id}", StringComparison.Ordinal)));
        }

        await (await member.PutAsync($"listeners/{own.Listener.Id}", new { name = "l", protocol = "http", port = own.Listener.Port, defaultBackendGroupId = other.Group.Id }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);
        ApiState.AssertUnchanged(before, await ApiState.CaptureAsync(admin), "creating under another project's objects");
    }

    [Fact]
    public async Task Get_AsViewerInOwnProject_Returns200()
    {
        using var tenants = await TenantsAsync(Role.Viewer);
        var (own, _, viewer) = tenants;
        foreach (var (kind, path, _) in Objects(own))
        {
            var response = await viewer.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET own {kind} as a viewer: {(int)response.StatusCode}");
        }

        foreach (var list in new[] { "load-balancers", "listeners", "rules", "backend-groups", "backends", "certificates", "acls", "clusters" })
        {
            await (await viewer.GetAsync(list)).ExpectAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Write_AsViewerInOwnProject_Returns403AndWritesNothing()
    {
        using var admin = factory.Admin();
        using var tenants = await TenantsAsync(Role.Viewer);
        var (own, _, viewer) = tenants;
        var before = await ApiState.CaptureAsync(admin);

        foreach (var (path, body) in Creates(own))
        {
            var response = await viewer.PostAsync(path, body);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"POST {path} as a viewer: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        foreach (var (kind, path, update) in Objects(own))
        {
            var put = await viewer.PutAsync(path, update);
            Assert.True(put.StatusCode == HttpStatusCode.Forbidden, $"PUT own {kind} as a viewer: {(int)put.StatusCode}");
        }

        foreach (var (kind, path, _) in Objects(own).Reverse())
        {
            var delete = await viewer.DeleteAsync(path);
            Assert.True(delete.StatusCode == HttpStatusCode.Forbidden, $"DELETE own {kind} as a viewer: {(int)delete.StatusCode}");
        }

        ApiState.AssertUnchanged(before, await ApiState.CaptureAsync(admin), "writes by a viewer");
    }

    [Fact]
    public async Task Write_AsMemberInOwnProject_Succeeds()
    {
        using var tenants = await TenantsAsync(Role.Member);
        var (own, _, member) = tenants;
        foreach (var (path, body) in Creates(own))
        {
            await (await member.PostAsync(path, body)).ExpectAsync(HttpStatusCode.Created);
        }

        foreach (var (kind, path, update) in Objects(own).Where(o => o.Kind != "project"))
        {
            var response = await member.PutAsync(path, update);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT own {kind} as a member: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await (await member.DeleteAsync($"rules/{own.Rule.Id}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await member.DeleteAsync($"load-balancers/{own.LoadBalancer.Id}?cascade=true")).ExpectAsync(HttpStatusCode.NoContent);
    }

    [Theory]
    [MemberData(nameof(ProjectRoles))]
    public async Task AdminEndpoint_AsProjectToken_Returns403AndWritesNothing(Role role)
    {
        using var admin = factory.Admin();
        using var tenants = await TenantsAsync(role);
        var (own, _, caller) = tenants;
        var clusterId = own.LoadBalancer.ClusterId;
        var token = await admin.CreateAsync<TokenResponse>("tokens", new { name = "other", role = Role.Viewer, projectId = own.Project.Id });
        var joinToken = await admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId });
        using var agent = new ApiClient(factory.CreateClient(token: null));
        var node = await (await agent.PostAsync("agent/join", new { token = joinToken.Secret, address = "198.18.50.1", @interface = "eth0" })).ReadAsync<AgentJoinResponse>(HttpStatusCode.Created);
        (HttpMethod Method, string Path, object? Body)[] calls =
        [
            (HttpMethod.Post, "clusters", new { name = "mine", vrrp = new { virtualRouterId = Seed.NextRouterId() } }),
            (HttpMethod.Put, $"clusters/{clusterId}", new { name = "mine", vrrp = new { virtualRouterId = 1 } }),
            (HttpMethod.Delete, $"clusters/{clusterId}", null),
            (HttpMethod.Get, $"clusters/{clusterId}/snapshot", null),
            (HttpMethod.Post, "tokens", new { name = "mine", role = Role.Member, projectId = own.Project.Id }),
            (HttpMethod.Get, "tokens", null),
            (HttpMethod.Get, $"tokens/{token.Id}", null),
            (HttpMethod.Put, $"tokens/{token.Id}", new { name = "mine" }),
            (HttpMethod.Delete, $"tokens/{token.Id}", null),
            (HttpMethod.Post, "join-tokens", new { clusterId }),
            (HttpMethod.Get, "join-tokens", null),
            (HttpMethod.Get, $"join-tokens/{joinToken.Id}", null),
            (HttpMethod.Delete, $"join-tokens/{joinToken.Id}", null),
            (HttpMethod.Get, "nodes", null),
            (HttpMethod.Get, $"nodes/{node.NodeId}", null),
            (HttpMethod.Put, $"nodes/{node.NodeId}", new { name = "mine", @interface = "eth0", priority = 7 }),
            (HttpMethod.Delete, $"nodes/{node.NodeId}", null),
            (HttpMethod.Post, "projects", new { name = "mine" }),
            (HttpMethod.Put, $"projects/{own.Project.Id}", new { name = "mine" }),
            (HttpMethod.Delete, $"projects/{own.Project.Id}", null),
        ];
        var before = await ApiState.CaptureAsync(admin);

        foreach (var (method, path, body) in calls)
        {
            using var request = new HttpRequestMessage(method, "/api/v1/" + path);
            if (body is not null)
            {
                request.Content = new StringContent(ApiClient.Json(body), System.Text.Encoding.UTF8, "application/json");
            }

            var response = await caller.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} as a {role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        ApiState.AssertUnchanged(before, await ApiState.CaptureAsync(admin), $"admin calls by a {role}");
    }

    [Fact]
    public async Task Request_WithoutValidToken_Returns401()
    {
        using var admin = factory.Admin();
        var project = await new Seed(admin).ProjectAsync();
        var deleted = await admin.CreateAsync<TokenResponse>("tokens", new { name = "gone", role = Role.Member, projectId = project.Id });
        await (await admin.DeleteAsync($"tokens/{deleted.Id}")).ExpectAsync(HttpStatusCode.NoContent);
        AuthenticationHeaderValue?[] credentials =
        [
            null,
            new("Bearer", "not-a-token"),
            new("Bearer", new string('x', 300)),
            new("Bearer", factory.AdminToken.ToUpperInvariant()),
            new("Basic", Convert.ToBase64String("admin:admin"u8.ToArray())),
            new("Bearer", deleted.Secret),
        ];

        foreach (var credential in credentials)
        {
            using var http = factory.CreateClient(token: null);
            http.DefaultRequestHeaders.Authorization = credential;
            var read = await http.GetAsync($"/api/v1/projects/{project.Id}");
            var write = await http.PostAsync("/api/v1/acls", new StringContent(ApiClient.Json(new { projectId = project.Id, name = "x", entries = Array.Empty<object>() }), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(read.StatusCode == HttpStatusCode.Unauthorized && write.StatusCode == HttpStatusCode.Unauthorized, $"{credential?.ToString() ?? "no token"}: GET {(int)read.StatusCode}, POST {(int)write.StatusCode}");
        }

        Assert.Equal(0, (await admin.GetAsync<Page<AclResponse>>($"acls?projectId={project.Id}")).Total);
    }

    [Fact]
    public async Task Request_WithExpiredToken_Returns401()
    {
        using var admin = factory.Admin();
        var project = await new Seed(admin).ProjectAsync();
        var expiresAt = factory.Time.GetUtcNow().AddHours(1);
        var token = await admin.CreateAsync<TokenResponse>("tokens", new { name = "short", role = Role.Member, projectId = project.Id, expiresAt });
        using var member = factory.As(token.Secret!);

        factory.Time.Advance(expiresAt - factory.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        await (await member.GetAsync($"projects/{project.Id}")).ExpectAsync(HttpStatusCode.OK);
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        await (await member.GetAsync($"projects/{project.Id}")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await member.PostAsync("acls", new { name = "late", entries = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Create_Token_ShowsSecretOnceAndStoresOnlyItsHash()
    {
        using var admin = factory.Admin();
        var project = await new Seed(admin).ProjectAsync();
        var created = await admin.CreateAsync<TokenResponse>("tokens", new { name = "ci", role = Role.Viewer, projectId = project.Id });
        var secret = created.Secret;
        Assert.False(string.IsNullOrEmpty(secret));
        using var viewer = factory.As(secret!);
        await (await viewer.GetAsync($"projects/{project.Id}")).ExpectAsync(HttpStatusCode.OK);

        foreach (var path in new[] { $"tokens/{created.Id}", "tokens?limit=500", $"tokens?projectId={project.Id}" })
        {
            var text = await (await admin.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(secret!, text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", text, StringComparison.Ordinal);
        }

        var renamed = await (await admin.PutAsync($"tokens/{created.Id}", new { name = "renamed" })).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret!, renamed, StringComparison.Ordinal);
        Assert.DoesNotContain("\"secret\"", renamed, StringComparison.Ordinal);

        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<FulcrumDbContext>().ApiTokens.AsNoTracking().SingleAsync(t => t.Id == created.Id);
        Assert.Matches("^[0-9a-f]{64}$", stored.SecretHash);
        Assert.DoesNotContain(secret!, stored.SecretHash + stored.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_JoinToken_ShowsSecretOnceAndStoresOnlyItsHash()
    {
        using var admin = factory.Admin();
        var cluster = await new Seed(admin).ClusterAsync();
        var created = await admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId = cluster.Id });
        Assert.False(string.IsNullOrEmpty(created.Secret));

        foreach (var path in new[] { $"join-tokens/{created.Id}", $"join-tokens?clusterId={cluster.Id}" })
        {
            var text = await (await admin.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(created.Secret!, text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", text, StringComparison.Ordinal);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<FulcrumDbContext>().JoinTokens.AsNoTracking().SingleAsync(t => t.Id == created.Id);
        Assert.Matches("^[0-9a-f]{64}$", stored.SecretHash);
    }

    /// <summary>Two projects, each with a whole load balancer, a certificate and an ACL, and a token of the first.</summary>
    private async Task<Tenants> TenantsAsync(Role role)
    {
        using var admin = factory.Admin();
        var seed = new Seed(admin);
        var cluster = await seed.ClusterAsync("198.18.7.0/24");
        var own = await TenantAsync(admin, cluster, "198.18.7.10");
        var other = await TenantAsync(admin, cluster, "198.18.7.20");
        var caller = factory.As(await seed.TokenAsync(role, own.Project.Id));

        // The first use of a token records when it was used; later uses in the same minute write nothing.
        await (await caller.GetAsync("projects")).ExpectAsync(HttpStatusCode.OK);
        return new Tenants(own, other, caller);
    }

    private async Task<Tenant> TenantAsync(ApiClient admin, ClusterResponse cluster, string vip)
    {
        var seed = new Seed(admin);
        var pem = Pem();
        var project = await seed.ProjectAsync();
        var tree = await seed.TreeAsync(project, cluster, vip);
        var rule = await admin.CreateAsync<RuleResponse>("rules", new { listenerId = tree.Listener.Id, name = "api", match = new { path = "/api" }, action = new { type = "forward", backendGroupId = tree.Group.Id } });
        var certificate = await admin.CreateAsync<CertificateResponse>("certificates", new { projectId = project.Id, name = "cert", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
        var acl = await seed.AclAsync(project, "198.51.100.0/24");
        return new Tenant(project, tree.LoadBalancer, tree.Listener, rule, tree.Group, tree.Backends[0], certificate, acl);
    }

    private TestCertificate Pem() => s_pem ??= TestCertificates.SelfSigned(factory.Time.GetUtcNow());

    /// <summary>Every object of a tenant, parents first, with a valid update for it.</summary>
    private static IEnumerable<(string Kind, string Path, object Update)> Objects(Tenant t) =>
    [
        ("project", $"projects/{t.Project.Id}", new { name = "taken" }),
        ("load balancer", $"load-balancers/{t.LoadBalancer.Id}", new { name = "taken", vip = t.LoadBalancer.Vip }),
        ("certificate", $"certificates/{t.Certificate.Id}", new { name = "taken" }),
        ("ACL", $"acls/{t.Acl.Id}", new { name = "taken", entries = new[] { new { cidr = "0.0.0.0/0" } } }),
        ("backend group", $"backend-groups/{t.Group.Id}", new { name = "taken" }),
        ("backend", $"backends/{t.Backend.Id}", new { address = t.Backend.Address, port = t.Backend.Port, weight = 0 }),
        ("listener", $"listeners/{t.Listener.Id}", new { name = "taken", protocol = "http", port = t.Listener.Port, defaultBackendGroupId = t.Group.Id }),
        ("rule", $"rules/{t.Rule.Id}", new { name = "taken", match = new { path = "/" }, action = new { type = "reject" } }),
    ];

    /// <summary>A valid create of every kind a project token may make, inside the tenant's own project.</summary>
    private (string Path, object Body)[] Creates(Tenant t)
    {
        var pem = Pem();
        return
        [
            ("load-balancers", new { clusterId = t.LoadBalancer.ClusterId, name = "lb", vip = "198.18.7.40" }),
            ("certificates", new { name = "cert", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem }),
            ("acls", new { name = "acl", entries = new[] { new { cidr = "203.0.113.0/24" } } }),
            ("backend-groups", new { loadBalancerId = t.LoadBalancer.Id, name = "group" }),
            ("backends", new { backendGroupId = t.Group.Id, address = "198.18.1.40", port = 80 }),
            ("listeners", new { loadBalancerId = t.LoadBalancer.Id, name = "l", protocol = "tcp", port = 5432, defaultBackendGroupId = t.Group.Id }),
            ("rules", new { listenerId = t.Listener.Id, name = "r", match = new { host = "example.com" }, action = new { type = "reject", statusCode = 404 } }),
        ];
    }

    /// <summary>The same path with an id of the same kind that exists nowhere.</summary>
    private static string MissingId(string path)
    {
        var id = path.Split('/')[1];
        return path.Replace(id, id[..(id.IndexOf('-', StringComparison.Ordinal) + 1)] + new string('0', 16), StringComparison.Ordinal);
    }

    /// <summary>A problem answer with the id it names and its trace id taken out, to compare two answers.</summary>
    private static async Task<string> WithoutIdAsync(HttpResponseMessage response, string path)
    {
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        problem.Remove("traceId");
        return $"{(int)response.StatusCode} {problem.ToJsonString().Replace(path.Split('/')[1], "{id}", StringComparison.Ordinal)}";
    }

    private sealed record Tenants(Tenant Own, Tenant Other, ApiClient Caller) : IDisposable
    {
        public void Dispose() => Caller.Dispose();
    }

    private sealed record Tenant(
        ProjectResponse Project,
        LoadBalancerResponse LoadBalancer,
        ListenerResponse Listener,
        RuleResponse Rule,
        BackendGroupResponse Group,
        BackendResponse Backend,
        CertificateResponse Certificate,
        AclResponse Acl);
}
