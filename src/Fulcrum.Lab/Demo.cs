using System.Diagnostics;
using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab.Network;

namespace Fulcrum.Lab;

/// <summary>
/// <c>fulcrum-lab demo</c>: a two-node cluster with three sample backends and a load balancer with an HTTP and a UDP
/// listener, then what a newcomer needs to watch traffic flow through the VIP and the VIP survive the loss of the
/// MASTER node. Ctrl-C tears it all down.
/// </summary>
public static class Demo
{
    public const int Subnet = 100;

    public static async Task<int> RunAsync(LabPrograms programs, string? adminToken, string publicUrl, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync("Building the lab: control plane, two nodes, three backends, a client ...");
        await using var lab = await LabDeployment.StartAsync(programs, Subnet, nodes: 2, backends: 3, adminToken: adminToken, publicUrl: publicUrl);
        try
        {
            var lb = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = "demo" });
            var web = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "web servers" });
            var dns = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "udp echo" });
            foreach (var backend in lab.Backends)
            {
                await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = backend.Address, port = LabDeployment.BackendHttpPort });
                await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = dns.Id, address = backend.Address, port = LabDeployment.BackendUdpPort });
            }

            var check = new { type = "http", intervalMs = 500, timeoutMs = 400 };
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id, healthCheck = check });
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "udp", protocol = "udp", port = 53, defaultBackendGroupId = dns.Id });

            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromSeconds(1));
            var clock = Stopwatch.StartNew();
            while (!await ServesAsync(http, lb.Vip))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    await output.WriteLineAsync("The VIP did not answer within a minute. What the lab's processes said:\n" + lab.Network.Logs());
                    return 1;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
            }

            var ready = clock.Elapsed;
            var master = await MasterAsync(lab);
            while (master is null && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
                master = await MasterAsync(lab);
            }

            await output.WriteLineAsync(Instructions(lab, lb, master, ready, publicUrl.TrimEnd('/')));
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await output.WriteLineAsync("\nTearing the lab down ...");
        }

        return 0;
    }

    private static async Task<bool> ServesAsync(HttpClient http, string vip)
    {
        try
        {
            using var response = await http.GetAsync($"http://{vip}/");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<LabNode?> MasterAsync(LabDeployment lab)
    {
        var nodes = await lab.GetAsync<Page<NodeResponse>>($"nodes?clusterId={lab.Cluster.Id}");
        var master = nodes.Items.FirstOrDefault(n => n.VrrpState == VrrpState.Master);
        return lab.Nodes.FirstOrDefault(n => n.NodeId == master?.Id);
    }

    private static string Instructions(LabDeployment lab, LoadBalancerResponse lb, LabNode? master, TimeSpan ready, string publicUrl)
    {
        var clientNs = lab.Client.Namespace;
        var masterLine = master is null
            ? "  MASTER:      not reported yet (GET /api/v1/nodes shows it within a few seconds)"
            : $"  MASTER:      {master.Host.Namespace} ({master.Host.Address}), node {master.NodeId}";
        var cut = master is null
            ? "  (find the MASTER with GET /api/v1/nodes, then set its bridge port down)"
            : $"  ip -n {lab.Network.Hub} link set {master.Host.BridgePort} down     # and 'up' to bring it back";
        return $"""

            Fulcrum demo lab is up ({ready.TotalSeconds:F1} s from the API calls to the first answer through the VIP).

              Console:       {publicUrl}/ (sign in with the admin token below; the browser warns once about the
                             self-signed certificate, whose SHA-256 is below)
              Control plane: {publicUrl} (the nodes reach it at {lab.ServerUrl})
              Certificate:   {lab.ServerCertificateFile}
                             SHA-256 {lab.ServerFingerprint}, pinned by both nodes (join --server-fingerprint)
              Admin token:   {lab.AdminToken}   (the console's sign-in token too)
              Load balancer: {lb.Id}, VIP {lb.Vip}: HTTP on port 80, UDP on port 53, three backends
            {masterLine}

            Send traffic from the lab's client namespace:
              ip netns exec {clientNs} curl -s http://{lb.Vip}/ | head -1
              for i in $(seq 6); do ip netns exec {clientNs} curl -s http://{lb.Vip}/ | head -1; done
              ip netns exec {clientNs} bash -c 'exec 3<>/dev/udp/{lb.Vip}/53; echo hello >&3; timeout 1 cat <&3'

            Watch it while you cut the MASTER node off the network (a real node loss, not a polite stop); the
            console's overview shows the other node take over as it happens:
              ip netns exec {clientNs} bash -c 'while sleep 0.2; do curl -s -m 1 http://{lb.Vip}/ | head -1 || echo FAILED; done'
            {cut}

            The API, with the admin token:
              curl -s --cacert {lab.ServerCertificateFile} -H "Authorization: Bearer {lab.AdminToken}" {publicUrl}/api/v1/nodes

            Ctrl-C tears the lab down.
            """;
    }
}
