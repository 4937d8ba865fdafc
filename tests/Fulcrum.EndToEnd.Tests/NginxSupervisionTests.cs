using System.Diagnostics;
using System.Globalization;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// An nginx that cannot be started gives the VIP to the other node at once, as haproxy does, and the node takes part
/// again once nginx runs; the restart counts survive a restart of the agent itself.
/// </summary>
public sealed class NginxSupervisionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Nginx_ThatCannotStart_GivesUpTheVip_ThenTakesPartAgain_AndRestartCountsSurviveTheAgentsRestart()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 234, nodes: 2, backends: 1);
        try
        {
            var lb = await lab.CreateLoadBalancerAsync("web");
            var group = await lab.CreateGroupAsync(lb, "web");
            await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromMilliseconds(500));
            var url = $"http://{lb.Vip}/";
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, url), Patience, () => "the VIP never served");

            var holder = await lab.MasterAsync(LabApi.Deadline);
            var other = lab.Nodes.Single(n => n != holder);
            var config = Path.Combine(holder.StateDirectory, "current", "nginx", "nginx.conf");
            var good = await File.ReadAllTextAsync(config);
            await File.WriteAllTextAsync(config, "this is not an nginx configuration\n");
            var clock = Stopwatch.StartNew();
            Kill(Pid(holder, "nginx"));
            await lab.MasterAsync(other, Patience);
            output.WriteLine($"MASTER's nginx killed and unable to start: the other node was MASTER {clock.ElapsedMilliseconds} ms later");
            Assert.Contains("could not be started", (await RestartShownAsync(lab, holder, count: 1)).LastReason, StringComparison.Ordinal);

            await File.WriteAllTextAsync(config, good);
            await Eventually.TrueAsync(
                async () => await FailoverTests.StateAsync(lab, holder) == VrrpState.Backup,
                Patience,
                () => "the node never took part in VRRP again once nginx could start");
            Assert.Contains("started again", (await RestartShownAsync(lab, holder, count: 1)).LastReason, StringComparison.Ordinal);
            Assert.True(await Vip.ServesAsync(http, url));

            await holder.Agent.KillAsync();
            var agent = lab.StartAgent(holder.Host, holder.StateDirectory);
            await Eventually.TrueAsync(
                () => Task.FromResult(agent.Output().Contains("Applied revision", StringComparison.Ordinal)),
                Patience,
                () => $"the restarted agent never applied its snapshot:\n{agent.Output()}");
            // The supervisor reads the pid files every second after an apply; nginx is killed once it watches it.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Kill(Pid(holder, "nginx"));

            // The agent started afresh counts on from the count before: a second restart, not a first.
            Assert.Contains("started again", (await RestartShownAsync(lab, holder, count: 2)).LastReason, StringComparison.Ordinal);
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    private static int Pid(LabNode node, string tool) =>
        int.Parse(File.ReadAllText(Path.Combine(node.StateDirectory, "run", tool + ".pid")).Trim(), CultureInfo.InvariantCulture);

    private static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: false);
    }

    private static async Task<ProcessRestarts> RestartShownAsync(LabDeployment lab, LabNode node, int count)
    {
        ProcessRestarts? shown = null;
        await Eventually.TrueAsync(
            async () =>
            {
                shown = (await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).Restarts?.SingleOrDefault(r => r.Tool == "nginx");
                return shown is { LastReason: not null } && shown.Count == count && !shown.LastReason.EndsWith("exited", StringComparison.Ordinal);
            },
            Patience,
            () => $"the node never showed nginx restarted {count} time(s); it shows {shown}");
        return shown!;
    }
}
