using System.Diagnostics;
using System.Globalization;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// What the agent costs when nothing changes, at 10,000 listeners: printed, not asserted (the machine is shared).
/// Asserted is what a user sees: the node online with its revision and a listener's counters reported.
/// </summary>
public sealed class HeartbeatCostTests(ITestOutputHelper output)
{
    private const int ListenerCount = 10_000;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TenThousandListeners_AgentsCpuWhileNothingChanges_Printed_CountersStillReported()
    {
        await using var lab = await LabDeployment.StartAsync(Programs.ForLab, subnet: 235, nodes: 1, backends: 1);
        try
        {
            var lb = await lab.CreateLoadBalancerAsync("cost");
            var group = await lab.CreateGroupAsync(lb, "cost");
            await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
            var first = await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "tcp", protocol = ListenerProtocol.Tcp, port = 80, defaultBackendGroupId = group.Id });

            // Written straight into the server's database, as ScaleTests does: 10,000 API calls would take the test's time.
            await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={lab.ServerDatabase}"))
            {
                await database.OpenAsync();
                await using var copy = database.CreateCommand();
                copy.CommandText = """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
                    INSERT INTO Listeners (Id, Acl, AclId, CertificateId, ClusterId, ConnectionLimit, CreatedAt, DefaultBackendGroupId, Description, Enabled, ForwardedHeaders, Gzip, HealthCheck, Http2, LoadBalancerId, Name, Port, ProjectId, Protocol, ProxyProtocol, RedirectToHttps, Scheduler, StickySession, Timeouts, Tls, Transport, UpdatedAt, Version)
                    SELECT 'lsn-' || printf('%016d', i), Acl, AclId, CertificateId, ClusterId, ConnectionLimit, CreatedAt, DefaultBackendGroupId, Description, Enabled, ForwardedHeaders, Gzip, HealthCheck, Http2, LoadBalancerId, 'bulk', 1024 + i, ProjectId, Protocol, ProxyProtocol, RedirectToHttps, Scheduler, StickySession, Timeouts, Tls, Transport, UpdatedAt, Version
                    FROM Listeners, n WHERE Id = $id
                    """;
                copy.Parameters.AddWithValue("$count", ListenerCount - 2);
                copy.Parameters.AddWithValue("$id", first.Id);
                Assert.Equal(ListenerCount - 2, await copy.ExecuteNonQueryAsync());
            }

            var last = await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "last", protocol = ListenerProtocol.Tcp, port = 81, defaultBackendGroupId = group.Id });
            var revision = await lab.RevisionAsync();
            var node = lab.Nodes[0];
            await Eventually.TrueAsync(
                async () => await lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}") is { Online: true } seen && seen.AppliedRevision == revision,
                TimeSpan.FromSeconds(180),
                () => $"the node never showed online with revision {revision}");

            // Settled: the whole picture has gone once; what follows is the cost of heartbeats with nothing changing.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var before = CpuTime(node.Agent.Pid);
            var clock = Stopwatch.StartNew();
            await Task.Delay(Window);
            var used = CpuTime(node.Agent.Pid) - before;
            output.WriteLine($"{ListenerCount} listeners, nothing changing: the agent used {used.TotalMilliseconds:F0} ms of CPU in {clock.Elapsed.TotalSeconds:F1} s ({100 * used / clock.Elapsed:F1} % of a core)");

            // A connection through the VIP still shows in the listener's counters.
            using var client = new NamespaceSockets(lab.Client.Namespace);
            using (var http = client.HttpClient(TimeSpan.FromSeconds(2), keepAlive: false))
            {
                await Eventually.TrueAsync(() => Vip.ServesAsync(http, $"http://{lb.Vip}:81/"), TimeSpan.FromSeconds(30), () => "the last listener never served");
            }

            await Eventually.TrueAsync(
                async () => (await lab.GetAsync<ListenerStatsResponse>($"listeners/{last.Id}/stats")).Totals.TotalConnections > 0,
                TimeSpan.FromSeconds(60),
                () => "the connection through the VIP never showed in the listener's counters");
        }
        catch
        {
            output.WriteLine(lab.Network.Logs());
            throw;
        }
    }

    /// <summary>User and system CPU time of a process, from <c>/proc/pid/stat</c> (in clock ticks of 10 ms).</summary>
    private static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
