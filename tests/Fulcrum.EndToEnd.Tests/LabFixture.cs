using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// One lab shared by the tests of a class: starting one takes about ten seconds. Each class has a lab subnet of its
/// own (210–219 are this suite's; other labs on the machine use others). Its tests must not disturb each other: each
/// creates its own load balancer (so its own VIP) and backend groups, and leaves the backends running as it found them.
/// Unless a class is about VRRP, its cluster advertises every second: a backup takes the VIPs after three silent
/// intervals, and on a loaded machine (others' labs run beside this one) a keepalived stalled for a few hundred
/// milliseconds would move the VIPs under a test about something else.
/// </summary>
public abstract class LabFixture(int subnet, int nodes = 2, int backends = 3, int advertIntervalMs = 1000) : IAsyncLifetime
{
    public LabDeployment Lab { get; private set; } = null!;

    /// <summary>Sockets opened in the lab's client namespace: what a client of the load balancer would send.</summary>
    public NamespaceSockets Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Lab = await LabDeployment.StartAsync(Programs.ForLab, subnet, nodes, backends, advertIntervalMs);
        try
        {
            Client = new NamespaceSockets(Lab.Client.Namespace);
            foreach (var node in Lab.Nodes)
            {
                await Eventually.TrueAsync(
                    async () => (await Lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}")).Online,
                    TimeSpan.FromSeconds(30),
                    () => $"{node.NodeId} never came online:\n{Lab.Network.Logs()}");
            }

            await StartedAsync(Lab);
        }
        catch
        {
            Client?.Dispose();
            await Lab.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Lab is not null)
        {
            await Lab.DisposeAsync();
        }
    }

    /// <summary>Runs a test against the lab; when it fails, the test's output shows what the lab's processes said.</summary>
    public async Task RunAsync(ITestOutputHelper output, Func<LabDeployment, Task> test)
    {
        try
        {
            await test(Lab);
        }
        catch
        {
            output.WriteLine(Lab.Network.Logs());
            output.WriteLine(DataplaneLogs());
            throw;
        }
    }

    /// <summary>What each node's haproxy, nginx and keepalived wrote to their logs in the node's runtime directory (the last lines).</summary>
    private string DataplaneLogs() => string.Join("\n", Lab.Nodes.SelectMany(node =>
        Directory.Exists(Path.Combine(node.StateDirectory, "run"))
            ? Directory.GetFiles(Path.Combine(node.StateDirectory, "run"), "*.log").Order(StringComparer.Ordinal)
                .Select(log => $"----- {node.Host.Namespace}: {Path.GetFileName(log)} -----\n{string.Join('\n', File.ReadLines(log).TakeLast(60))}")
            : []));

    /// <summary>What a class needs in its lab beyond the nodes and the plain backends.</summary>
    protected virtual Task StartedAsync(LabDeployment lab) => Task.CompletedTask;
}
