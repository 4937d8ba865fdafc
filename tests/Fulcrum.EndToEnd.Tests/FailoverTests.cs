using System.Diagnostics;
using System.Globalization;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// Two nodes, one VIP: the loss of the MASTER's network moves the VIP to the other node; the loss of its haproxy does
/// not, since the agent starts haproxy again at once (<see cref="SupervisionTests"/> covers every program).
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Failover_MasterCutOff_VipMoves_AndNopreemptKeepsItWhereItIs_ThenItsSuccessorsHaproxyKilled_ItIsRestartedAndTheVipStays()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 204, nodes: 2, backends: 2);
        try
        {
            var lb = await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name = "web" });
            var web = await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "web" });
            foreach (var backend in lab.Backends)
            {
                await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = backend.Address, port = LabDeployment.BackendHttpPort });
            }

            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id });
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using var http = client.HttpClient(TimeSpan.FromMilliseconds(500));
            var url = $"http://{lb.Vip}/";
            await Eventually.TrueAsync(() => Vip.ServesAsync(http, url), TimeSpan.FromSeconds(30), () => "the VIP never served");
            var first = await lab.MasterAsync(LabApi.Deadline);
            var second = lab.Nodes.Single(n => n != first);

            var gap = await GapWhileAsync(http, url, () => first.Host.DisconnectAsync());
            output.WriteLine($"MASTER cut off: the longest run of failed requests lasted {gap.TotalMilliseconds:F0} ms");
            await lab.MasterAsync(second, LabApi.Deadline);

            await first.Host.ReconnectAsync();
            await Eventually.TrueAsync(
                async () => await StateAsync(lab, first) == VrrpState.Backup,
                TimeSpan.FromSeconds(30),
                () => "the old MASTER never came back as BACKUP");
            Assert.Equal(VrrpState.Master, await StateAsync(lab, second));
            Assert.True(await Vip.ServesAsync(http, url));

            var haproxy = int.Parse(File.ReadAllText(Path.Combine(second.StateDirectory, "run", "haproxy.pid")).Trim(), CultureInfo.InvariantCulture);
            gap = await GapWhileAsync(http, url, () =>
            {
                using var process = Process.GetProcessById(haproxy);
                process.Kill(entireProcessTree: true);
                return Task.CompletedTask;
            });
            output.WriteLine($"MASTER's haproxy killed: the longest run of failed requests lasted {gap.TotalMilliseconds:F0} ms");
            Assert.Equal(second, await lab.MasterAsync(LabApi.Deadline));
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    /// <summary>
    /// Sends a request every 50 ms (bounded: at most a minute) while <paramref name="disaster"/> strikes, until the VIP
    /// has answered 20 times in a row again; returns the longest stretch a client saw without an answer — from the first
    /// request that failed to the next that succeeded — for the report.
    /// </summary>
    internal static async Task<TimeSpan> GapWhileAsync(HttpClient http, string url, Func<Task> disaster)
    {
        await disaster();
        var clock = Stopwatch.StartNew();
        var longest = TimeSpan.Zero;
        TimeSpan? failingSince = null;
        var streak = 0;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (streak < 20)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the VIP did not come back within a minute");
            var sent = clock.Elapsed;
            if (await Vip.ServesAsync(http, url))
            {
                streak++;
                if (failingSince is { } since)
                {
                    longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (sent - since).Ticks));
                    failingSince = null;
                }
            }
            else
            {
                streak = 0;
                failingSince ??= sent;
            }

            await tick.WaitForNextTickAsync();
        }

        return longest;
    }

    internal static async Task<VrrpState> StateAsync(LabDeployment lab, LabNode node)
    {
        var reported = await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}");
        return reported.Online ? reported.VrrpState : VrrpState.Unknown;
    }
}
