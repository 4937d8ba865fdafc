using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Listeners;

public sealed class ListenersApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    private async Task<LoadBalancerResponse> LoadBalancerAsync(string vip) => await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), vip);

    [Fact]
    public async Task Create_Http_FillsDefaults()
    {
        var listener = await Seed.ListenerAsync(await LoadBalancerAsync("198.18.50.1"));

        Assert.Equal(Scheduler.RoundRobin, listener.Scheduler);
        Assert.Equal(new TimeoutSpec(5_000, 50_000, 50_000), listener.Timeouts);
        Assert.True(listener.ForwardedHeaders);
        Assert.True(listener.Enabled);
        Assert.Null(listener.HealthCheck);
        Assert.Equal(ProxyProtocol.None, listener.ProxyProtocol);
    }

    [Fact]
    public async Task Create_TcpAndHttpShareAPortSpace_UdpHasItsOwn()
    {
        var lb = await LoadBalancerAsync("198.18.50.2");
        await Seed.ListenerAsync(lb, "tcp", 53);

        var http = await _admin.PostAsync("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 53 });
        var udp = await _admin.PostAsync("listeners", new { loadBalancerId = lb.Id, name = "dns", protocol = "udp", port = 53 });

        Assert.Contains("53/tcp", (await http.ReadProblemAsync(HttpStatusCode.Conflict)).Detail);
        await udp.ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Create_HttpsWithoutCertificate_AndMisplacedOptions_NamesEveryField()
    {
        var lb = await LoadBalancerAsync("198.18.50.3");

        var https = await _admin.PostAsync("listeners", new { loadBalancerId = lb.Id, name = "tls", protocol = "https", port = 443, redirectToHttps = true });
        var udp = await _admin.PostAsync("listeners", new
        {
            loadBalancerId = lb.Id,
            name = "udp",
            protocol = "udp",
            port = 5000,
            gzip = true,
            stickySession = new { type = "cookieInsert" },
            proxyProtocol = "v2",
            accessLog = true,
        });
        var tcp = await _admin.PostAsync("listeners", new { loadBalancerId = lb.Id, name = "tcp", protocol = "tcp", port = 6000, healthCheck = new { type = "udp", udp = new { send = "ping" } } });

        Assert.Equal(["redirectToHttps", "tls.certificateId"], (await https.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["accessLog", "gzip", "proxyProtocol", "stickySession.type"], (await udp.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["healthCheck.type"], (await tcp.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task Create_BackendGroupOfAnotherLoadBalancer_IsRefused()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        var lb = await Seed.LoadBalancerAsync(project, cluster, "198.18.50.4");
        var foreign = await Seed.BackendGroupAsync(await Seed.LoadBalancerAsync(project, cluster, "198.18.50.5"));

        var response = await _admin.PostAsync("listeners", new { loadBalancerId = lb.Id, name = "web", protocol = "http", port = 80, defaultBackendGroupId = foreign.Id });

        Assert.Contains(lb.Id, Assert.Single((await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors["defaultBackendGroupId"]));
    }

    [Fact]
    public async Task Create_HttpsWithCertificatesAndAcl_IsStoredNormalised()
    {
        var project = await Seed.ProjectAsync();
        var lb = await Seed.LoadBalancerAsync(project, await Seed.ClusterAsync(), "198.18.50.6");
        var main = await CertificateAsync(project, "www.example.test");
        var extra = await CertificateAsync(project, "api.example.test");
        var acl = await Seed.AclAsync(project, "198.18.0.0/15");

        var listener = await _admin.CreateAsync<ListenerResponse>("listeners", new
        {
            loadBalancerId = lb.Id,
            name = "tls",
            protocol = "https",
            port = 443,
            http2 = true,
            tls = new { certificateId = main.Id, sniCertificateIds = new[] { extra.Id, main.Id, extra.Id }, minVersion = "TLSv1.3" },
            acl = new { mode = "allow", aclId = acl.Id },
            healthCheck = new { type = "http", http = new { path = "/healthz?full=1", host = "WWW.Example.test", expectedCodes = "200,204" } },
        });

        Assert.Equal(new[] { extra.Id }, listener.Tls!.SniCertificateIds);
        Assert.Equal(TlsVersion.Tls13, listener.Tls.MinVersion);
        Assert.Equal("www.example.test", listener.HealthCheck!.Http!.Host);
        Assert.Equal(new AclBinding(AclMode.Allow, acl.Id), listener.Acl);
    }

    [Fact]
    public async Task Update_ToTcpWhileItHasRules_Conflicts()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.50.7");
        await _admin.CreateAsync<RuleResponse>("rules", new { listenerId = tree.Listener.Id, name = "r", match = new { host = "a.test" }, action = new { type = "reject" } });

        var response = await _admin.PutAsync($"listeners/{tree.Listener.Id}", new { name = "now tcp", protocol = "tcp", port = 80 });

        await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ListenerProtocol.Http, (await _admin.GetAsync<ListenerResponse>($"listeners/{tree.Listener.Id}")).Protocol);
    }

    [Fact]
    public async Task AccessLog_PatchSetsIt_PutWithoutItClearsIt_AndTheSnapshotCarriesIt()
    {
        var cluster = await Seed.ClusterAsync();
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.50.9");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var patched = await (await _admin.PatchAsync($"listeners/{tree.Listener.Id}", new { accessLog = true })).ReadAsync<ListenerResponse>(HttpStatusCode.OK);
        var snapshot = await _admin.GetAsync<ClusterSnapshot>($"clusters/{cluster.Id}/snapshot");
        var replaced = await _admin.UpdateAsync<ListenerResponse>($"listeners/{tree.Listener.Id}", new { name = "web", protocol = "http", port = 80, defaultBackendGroupId = tree.Group.Id });

        Assert.False(tree.Listener.AccessLog);
        Assert.True(patched.AccessLog);
        Assert.True(snapshot.Revision > revision);
        Assert.Equal(true, Assert.Single(Assert.Single(snapshot.LoadBalancers).Listeners).AccessLog);
        Assert.False(replaced.AccessLog);
    }

    [Fact]
    public async Task AccessLog_InAWholeLoadBalancer_IsKept()
    {
        var project = await Seed.ProjectAsync();
        var lb = await _admin.CreateAsync<LoadBalancerResponse>("load-balancers", new
        {
            projectId = project.Id,
            clusterId = (await Seed.ClusterAsync()).Id,
            name = "logged",
            vip = "198.18.50.11",
            backendGroups = new[] { new { name = "pool", backends = new[] { new { address = "198.18.1.40", port = 80 } } } },
            listeners = new[] { new { name = "http", protocol = "http", port = 80, defaultBackendGroup = "pool", accessLog = true } },
        });

        var listener = Assert.Single((await _admin.GetAsync<Page<ListenerResponse>>($"listeners?loadBalancerId={lb.Id}")).Items);
        Assert.True(listener.AccessLog);
    }

    [Fact]
    public async Task AccessLog_NotABoolean_NamesTheField()
    {
        var lb = await LoadBalancerAsync("198.18.50.10");

        var response = await _admin.PostRawAsync("listeners", $$"""{"loadBalancerId":"{{lb.Id}}","name":"web","protocol":"tcp","port":9000,"accessLog":"yes"}""");

        Assert.Contains("accessLog", (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_TakesItsRulesAlong()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.50.8");
        var rule = await _admin.CreateAsync<RuleResponse>("rules", new { listenerId = tree.Listener.Id, name = "r", match = new { path = "/old" }, action = new { type = "redirect", redirect = new { path = "/new", code = 301 } } });

        await (await _admin.DeleteAsync($"listeners/{tree.Listener.Id}")).ExpectAsync(HttpStatusCode.NoContent);

        await (await _admin.GetAsync($"rules/{rule.Id}")).ExpectAsync(HttpStatusCode.NotFound);
    }

    private Task<CertificateResponse> CertificateAsync(ProjectResponse project, string hostname)
    {
        var pem = TestCertificates.Create(hostname, factory.Time.GetUtcNow());
        return _admin.CreateAsync<CertificateResponse>("certificates", new { projectId = project.Id, name = hostname, certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
    }
}
