using System.Net.Http.Headers;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>What Prometheus scrapes from a real node and the control plane once a change has been applied.</summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AfterARealApply_AgentAndServerMetrics_ShowTheRevisionTheReloadAndTheListener()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 248, nodes: 1, backends: 1);
        try
        {
            var node = lab.Nodes[0];
            var lb = await lab.CreateLoadBalancerAsync("web");
            var group = await lab.CreateGroupAsync(lb, "web");
            var backend = await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
            var listener = await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = group.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(2));
            await Traffic.WaitUntilServingAsync(lab, lb, http, $"http://{lb.Vip}/");
            // The first listener starts haproxy; a second one is a reload.
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "alt", protocol = "http", port = 8081, defaultBackendGroupId = group.Id });
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, $"http://{lb.Vip}:8081/"), Deadline, () => "the second listener never served");
            // haproxy's new worker counts from zero: a request to the first listener after the reload.
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, $"http://{lb.Vip}/"), Deadline, () => "the first listener stopped serving");
            var revision = (await lab.GetAsync<ClusterResponse>($"clusters/{lab.Cluster.Id}")).Revision;
            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).AppliedRevision == revision, Deadline, () => "the node never reported the revision");

            using var onNode = new NamespaceSockets(node.Host.Namespace);
            using var scraper = onNode.HttpClient(TimeSpan.FromSeconds(5));
            IReadOnlyList<Sample> agent = [];
            // The listener's series come from haproxy's counters as the next heartbeat reads them.
            await Eventually.TrueAsync(
                async () =>
                {
                    agent = Scrape.Parse(await scraper.GetStringAsync($"http://{LabDeployment.AgentMetricsListen}/metrics"));
                    return agent.Named("fulcrum_agent_listener_http_responses_total", ("listener_id", listener.Id), ("class", "2xx")).Any(s => s.Value >= 1);
                },
                Deadline,
                () => "the agent never showed the listener's 2xx responses");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", lab.MetricsToken);
            using var answer = await lab.Admin.SendAsync(request);
            var server = Scrape.Parse(await answer.Content.ReadAsStringAsync());
            using var unauthorized = await lab.Admin.GetAsync("/metrics");
            output.WriteLine($"agent series: {agent.Count}, server series: {server.Count}");
            output.WriteLine(string.Join('\n', agent.Where(s => s.Name.StartsWith("fulcrum_", StringComparison.Ordinal)).Select(s => $"{s.Name} {string.Join(',', s.Labels.Select(l => $"{l.Key}={l.Value}"))} {s.Value}")));

            Assert.Equal(revision, Assert.Single(agent.Named("fulcrum_agent_applied_revision")).Value);
            Assert.Contains(agent.Named("fulcrum_agent_reloads_total", ("tool", "haproxy")), s => s.Value >= 1);
            Assert.Contains(agent.Named("fulcrum_agent_apply_duration_seconds_count", ("phase", "render"), ("outcome", "applied")), s => s.Value >= 1);
            Assert.Contains(agent.Named("fulcrum_agent_apply_duration_seconds_count", ("phase", "reload"), ("outcome", "applied")), s => s.Value >= 1);
            Assert.Contains(agent.Named("fulcrum_agent_listener_connections_total", ("listener_id", listener.Id)), s => s.Value >= 1);
            Assert.Contains(agent.Named("fulcrum_agent_listener_received_bytes_total", ("listener_id", listener.Id)), s => s.Value > 0);
            Assert.Single(agent.Named("fulcrum_agent_backend_connections_total", ("backend_id", backend.Id)));
            Assert.Single(agent.Named("fulcrum_agent_backend_health", ("backend_id", backend.Id)));
            Assert.Equal(1, Assert.Single(agent.Named("fulcrum_agent_vrrp_state", ("state", "MASTER"))).Value);
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unauthorized.StatusCode);
            Assert.Equal(revision, Assert.Single(server.Named("fulcrum_cluster_revision", ("cluster_id", lab.Cluster.Id))).Value);
            Assert.Equal(revision, Assert.Single(server.Named("fulcrum_node_applied_revision", ("node_id", node.NodeId))).Value);
            Assert.Contains(server.Named("fulcrum_propagation_duration_seconds_count", ("cluster_id", lab.Cluster.Id)), s => s.Value >= 1);
            Assert.Contains(server.Named("fulcrum_heartbeats_total", ("cluster_id", lab.Cluster.Id), ("result", "accepted")), s => s.Value >= 1);
            Assert.Contains(server.Named("http_server_request_duration_seconds_count", ("http_route", "/api/v1/listeners/")), s => s.Value >= 1);
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }
}
