using System.Diagnostics;
using System.Globalization;
using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// The agent keeps the MASTER's haproxy, nginx and keepalived running: each one killed with SIGKILL is started again,
/// clients get through the VIP again, and the node's API status shows the restart. A haproxy that cannot be started
/// again gives the VIP to the other node at once, and the node takes part again once haproxy runs.
/// </summary>
public sealed class SupervisionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Supervision_MastersProgramsKilled_AreStartedAgainAndReported_AndAHaproxyThatCannotStartGivesUpTheVip()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 230, nodes: 2, backends: 2);
        try
        {
            var lb = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = "web" });
            var web = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "web" });
            var dns = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "dns" });
            foreach (var backend in lab.Backends)
            {
                await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = backend.Address, port = LabDeployment.BackendHttpPort });
                await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = dns.Id, address = backend.Address, port = LabDeployment.BackendUdpPort });
            }

            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id });
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "dns", protocol = "udp", port = 53, defaultBackendGroupId = dns.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromMilliseconds(500));
            var url = $"http://{lb.Vip}/";
            var udp = new IPEndPoint(IPAddress.Parse(lb.Vip), 53);
            async Task<bool> UdpServesAsync() => await client.UdpExchangeAsync(udp, "ping", TimeSpan.FromMilliseconds(500)) is not null;
            await Eventually.TrueAsync(async () => await Vip.ServesAsync(http, url) && await UdpServesAsync(), Patience, () => "the VIP never served");

            foreach (var tool in new[] { "haproxy", "nginx", "keepalived" })
            {
                var master = await lab.MasterAsync(LabApi.Deadline);
                var pid = Pid(master, tool);
                var gap = await FailoverTests.GapWhileAsync(http, url, () => KillAsync(pid));
                output.WriteLine($"MASTER's {tool} killed with SIGKILL: the longest run of failed HTTP requests lasted {gap.TotalMilliseconds:F0} ms");

                var restart = await RestartShownAsync(lab, master, tool, count: 1);
                Assert.StartsWith($"{tool} (pid {pid.ToString(CultureInfo.InvariantCulture)}) exited; started again (pid ", restart.LastReason, StringComparison.Ordinal);
                Assert.NotEqual(pid, Pid(master, tool));
                Assert.True(await Vip.ServesAsync(http, url), $"HTTP through the VIP failed after {tool} came back");
                await Eventually.TrueAsync(UdpServesAsync, Patience, () => $"UDP through the VIP never answered after {tool} came back");
            }

            // haproxy that cannot start again: its configuration made unreadable to haproxy, as a broken disk would.
            var holder = await lab.MasterAsync(LabApi.Deadline);
            var other = lab.Nodes.Single(n => n != holder);
            var config = Path.Combine(holder.StateDirectory, "current", "haproxy", "haproxy.cfg");
            var good = await File.ReadAllTextAsync(config);
            await File.WriteAllTextAsync(config, "this is not a haproxy configuration\n");
            var haproxy = Pid(holder, "haproxy");
            var restarts = (await lab.GetAsync<NodeResponse>($"nodes/{holder.NodeId}")).Restarts?.SingleOrDefault(r => r.Tool == "haproxy")?.Count ?? 0;
            var failedOver = await FailoverTests.GapWhileAsync(http, url, () => KillAsync(haproxy));
            output.WriteLine($"MASTER's haproxy killed and unable to start: the longest run of failed HTTP requests lasted {failedOver.TotalMilliseconds:F0} ms");

            await lab.MasterAsync(other, LabApi.Deadline);
            var failed = await RestartShownAsync(lab, holder, "haproxy", count: restarts + 1);
            Assert.Contains("could not be started", failed.LastReason, StringComparison.Ordinal);

            await File.WriteAllTextAsync(config, good);
            await Eventually.TrueAsync(
                async () => await FailoverTests.StateAsync(lab, holder) == VrrpState.Backup,
                Patience,
                () => "the node never took part in VRRP again once haproxy could start");
            Assert.Contains("started again", (await RestartShownAsync(lab, holder, "haproxy", count: restarts + 1)).LastReason, StringComparison.Ordinal);
            Assert.Equal(other, await lab.MasterAsync(LabApi.Deadline));
            Assert.True(await Vip.ServesAsync(http, url));
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    private static int Pid(LabNode node, string tool) =>
        int.Parse(File.ReadAllText(Path.Combine(node.StateDirectory, "run", tool + ".pid")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>SIGKILL to that one process, as <c>kill -9</c> would: what it started is left to notice by itself.</summary>
    private static Task KillAsync(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: false);
        return Task.CompletedTask;
    }

    private static async Task<ProcessRestarts> RestartShownAsync(LabDeployment lab, LabNode node, string tool, int count)
    {
        ProcessRestarts? shown = null;
        await Eventually.TrueAsync(
            async () =>
            {
                var reported = await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}");
                shown = reported.Restarts?.SingleOrDefault(r => r.Tool == tool);
                return shown is { LastReason: not null } && shown.Count == count && !shown.LastReason.EndsWith("exited", StringComparison.Ordinal);
            },
            Patience,
            () => $"the node never showed {tool} restarted {count} time(s); it shows {shown}");
        return shown!;
    }
}
