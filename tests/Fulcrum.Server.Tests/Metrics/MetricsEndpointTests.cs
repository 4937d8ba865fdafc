using System.Net;
using System.Net.Http.Headers;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Metrics;

/// <summary>
/// Runs alone, after the parallel classes: OpenTelemetry subscribes to meters by name, so each test server in the
/// process also listens to every other one's <c>Fulcrum.Server</c> meter and shares its series, and a server that shuts
/// down (another class finishing) ends those series in the rest. One server per process, as deployed, has no such neighbour.
/// </summary>
[Collection(Alone)]
public sealed class MetricsEndpointTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    public const string Alone = "Metrics, alone in the process";

    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Metrics_OnlyTheMetricsTokenReadsThem()
    {
        using var anonymous = factory.CreateClient(token: null);
        using var admin = factory.CreateClient(factory.AdminToken);
        using var wrong = factory.CreateClient(factory.MetricsToken + "x");

        var refused = new[] { await anonymous.GetAsync("/metrics"), await admin.GetAsync("/metrics"), await wrong.GetAsync("/metrics") };
        var scraped = await ScrapeAsync();

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.All(refused, r => Assert.DoesNotContain("fulcrum_", r.Content.ReadAsStringAsync().Result, StringComparison.Ordinal));
        Assert.NotEmpty(scraped);
    }

    [Fact]
    public async Task Metrics_AfterWritesAndHeartbeats_ShowRevisionsHeartbeatsPropagationAndRequests()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync("198.18.151.0/29");
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.151");
        await agent.ReportAsync(TestAgent.Report(applied: await Seed.RevisionAsync(cluster.Id), VrrpState.Master));
        await Seed.LoadBalancerAsync(project, cluster);
        var revision = await Seed.RevisionAsync(cluster.Id);
        await agent.ReportAsync(TestAgent.Report(applied: revision, VrrpState.Master));
        var beyond = await agent.HeartbeatAsync(TestAgent.Report(applied: revision + 10, VrrpState.Master));

        var samples = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Equal(revision, Assert.Single(samples.Named("fulcrum_cluster_revision", ("cluster_id", cluster.Id))).Value);
        Assert.Equal(revision, Assert.Single(samples.Named("fulcrum_node_applied_revision", ("cluster_id", cluster.Id), ("node_id", agent.NodeId))).Value);
        Assert.Equal(2, Assert.Single(samples.Named("fulcrum_heartbeats_total", ("cluster_id", cluster.Id), ("result", "accepted"))).Value);
        Assert.Equal(1, Assert.Single(samples.Named("fulcrum_heartbeats_total", ("cluster_id", cluster.Id), ("result", "refused"))).Value);
        Assert.True(Assert.Single(samples.Named("fulcrum_propagation_duration_seconds_count", ("cluster_id", cluster.Id))).Value >= 1);
        Assert.Contains(samples.Named("fulcrum_propagation_duration_seconds_bucket", ("cluster_id", cluster.Id), ("le", "+Inf")), s => s.Value >= 1);
        var creates = samples.Named("http_server_request_duration_seconds_count", ("http_route", "/api/v1/load-balancers/"), ("http_request_method", "POST"), ("http_response_status_code", "201"));
        Assert.Contains(creates, s => s.Value >= 1);
        Assert.Contains(samples.Named("http_server_request_duration_seconds_bucket", ("http_route", "/api/v1/agent/heartbeat"), ("http_response_status_code", "400")), s => s.Value >= 1);
    }

    [Fact]
    public async Task Metrics_ALongPollWaiting_IsAWatcherOfItsCluster_UntilTheRevisionMoves()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync("198.18.152.0/29");
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.152");
        var poll = agent.PollAsync(await Seed.RevisionAsync(cluster.Id), waitSeconds: 30);
        await TestAgent.WaitingAsync(factory, cluster.Id);

        var waiting = await ScrapeAsync();
        await Seed.LoadBalancerAsync(project, cluster);
        Assert.Equal(HttpStatusCode.OK, (await poll.WaitAsync(TestAgent.Patience)).StatusCode);
        var after = await ScrapeAsync();

        Assert.Equal(1, Assert.Single(waiting.Named("fulcrum_watchers", ("cluster_id", cluster.Id))).Value);
        Assert.Equal(0, Assert.Single(after.Named("fulcrum_watchers", ("cluster_id", cluster.Id))).Value);
    }

    private async Task<IReadOnlyList<Sample>> ScrapeAsync()
    {
        using var client = factory.CreateClient(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", factory.MetricsToken);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Scrape.Parse(await response.Content.ReadAsStringAsync());
    }
}

[CollectionDefinition(MetricsEndpointTests.Alone, DisableParallelization = true)]
public sealed class MetricsAloneCollection;
