using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>How listeners spread clients over backends: round robin, weights, draining and least connections.</summary>
public sealed class SchedulerTests(SchedulerTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<SchedulerTests.Fixture>
{
    [Fact]
    public Task RoundRobin_ThreeEqualBackends_ThirtyRequestsServedTenByEach() => fixture.RunAsync(output, async lab =>
    {
        var (lb, group) = await CreateAsync(lab, "rr");
        foreach (var backend in lab.Backends)
        {
            await lab.CreateBackendAsync(group, backend, LabDeployment.BackendHttpPort);
        }

        var url = await HttpListenerAsync(lab, lb, group, Scheduler.RoundRobin);
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);

        var served = await Traffic.ServedByAsync(http, url, 30);

        Assert.Equal([("be1", 10), ("be2", 10), ("be3", 10)], Traffic.Tally(served));
    });

    [Fact]
    public Task RoundRobin_WeightsThreeToOne_ServedThreeToOne() => fixture.RunAsync(output, async lab =>
    {
        var (lb, group) = await CreateAsync(lab, "weighted");
        await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort, weight: 3);
        await lab.CreateBackendAsync(group, lab.Backends[1], LabDeployment.BackendHttpPort, weight: 1);
        var url = await HttpListenerAsync(lab, lb, group, Scheduler.RoundRobin);
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);

        var served = await Traffic.ServedByAsync(http, url, 40);

        Assert.Equal(["be1", "be2"], served.Distinct().Order(StringComparer.Ordinal));
        Assert.InRange(served.Count(name => name == "be1"), 28, 32);
    });

    [Fact]
    public Task RoundRobin_WeightZero_GetsNoRequests() => fixture.RunAsync(output, async lab =>
    {
        var (lb, group) = await CreateAsync(lab, "weight0");
        await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort);
        await lab.CreateBackendAsync(group, lab.Backends[1], LabDeployment.BackendHttpPort, weight: 0);
        await lab.CreateBackendAsync(group, lab.Backends[2], LabDeployment.BackendHttpPort);
        var url = await HttpListenerAsync(lab, lb, group, Scheduler.RoundRobin);
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);

        var served = await Traffic.ServedByAsync(http, url, 20);

        Assert.Equal([("be1", 10), ("be3", 10)], Traffic.Tally(served));
    });

    /// <summary>Draining keeps what a backend already serves — a held connection still echoes — and gives it nothing new.</summary>
    [Fact]
    public Task Drain_BackendWithAnOpenConnection_KeepsItButGetsNoNewConnections() => fixture.RunAsync(output, async lab =>
    {
        var (lb, group) = await CreateAsync(lab, "drain");
        await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendTcpPort);
        var draining = await lab.CreateBackendAsync(group, lab.Backends[1], LabDeployment.BackendTcpPort);
        await TcpListenerAsync(lab, lb, group, Scheduler.RoundRobin);
        var held = new List<TcpSession>();
        try
        {
            for (var i = 0; i < 10 && !held.Any(session => session.Backend == "be2"); i++)
            {
                held.Add(await TcpSession.OpenAsync(fixture.Client, lb.Vip, Port));
            }

            var onDraining = Assert.Single(held, session => session.Backend == "be2");

            await lab.UpdateAsync<BackendResponse>($"backends/{draining.Id}", new
            {
                backendGroupId = group.Id,
                name = draining.Name,
                address = draining.Address,
                port = draining.Port,
                adminState = BackendAdminState.Drain,
            });
            await lab.WaitUntilActiveAsync(lb);
            var fresh = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                using var session = await TcpSession.OpenAsync(fixture.Client, lb.Vip, Port);
                fresh.Add(session.Backend);
            }

            Assert.Equal("still here", await onDraining.EchoAsync("still here"));
            Assert.All(fresh, name => Assert.Equal("be1", name));
        }
        finally
        {
            held.ForEach(session => session.Dispose());
        }
    });

    /// <summary>
    /// Three connections held open on be1, none on the others: the next six all go to be2 and be3, three each — round
    /// robin would have given be1 two of them.
    /// </summary>
    [Fact]
    public Task LeastConnections_ConnectionsHeldOnOneBackend_NewConnectionsGoToTheOthers() => fixture.RunAsync(output, async lab =>
    {
        var (lb, group) = await CreateAsync(lab, "leastconn");
        foreach (var backend in lab.Backends)
        {
            await lab.CreateBackendAsync(group, backend, LabDeployment.BackendTcpPort);
        }

        await TcpListenerAsync(lab, lb, group, Scheduler.LeastConnections);
        var sessions = new List<TcpSession>();
        try
        {
            for (var i = 0; i < 30 && sessions.Count(session => session.Backend == "be1") < 3; i++)
            {
                sessions.Add(await TcpSession.OpenAsync(fixture.Client, lb.Vip, Port));
            }

            foreach (var other in sessions.Where(session => session.Backend != "be1").ToList())
            {
                await other.CloseAsync();
                sessions.Remove(other);
            }

            Assert.Equal(3, sessions.Count);
            var fresh = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                var session = await TcpSession.OpenAsync(fixture.Client, lb.Vip, Port);
                sessions.Add(session);
                fresh.Add(session.Backend);
            }

            Assert.Equal([("be2", 3), ("be3", 3)], Traffic.Tally(fresh));
        }
        finally
        {
            sessions.ForEach(session => session.Dispose());
        }
    });

    private const int Port = 7000;

    private static async Task<(LoadBalancerResponse, BackendGroupResponse)> CreateAsync(LabDeployment lab, string name)
    {
        var lb = await lab.CreateLoadBalancerAsync(name);
        return (lb, await lab.CreateGroupAsync(lb, name));
    }

    private static async Task<string> HttpListenerAsync(LabDeployment lab, LoadBalancerResponse lb, BackendGroupResponse group, Scheduler scheduler)
    {
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id, scheduler });
        return $"http://{lb.Vip}/";
    }

    /// <summary>A tcp listener on <see cref="Port"/>; returns once it greets and every node applied it.</summary>
    private async Task TcpListenerAsync(LabDeployment lab, LoadBalancerResponse lb, BackendGroupResponse group, Scheduler scheduler)
    {
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "tcp", protocol = ListenerProtocol.Tcp, port = Port, defaultBackendGroupId = group.Id, scheduler });
        await Eventually.TrueAsync(
            async () =>
            {
                using var session = await TcpSession.TryOpenAsync(fixture.Client, lb.Vip, Port);
                if (session is null)
                {
                    return false;
                }

                await session.CloseAsync();
                return true;
            },
            TimeSpan.FromSeconds(30),
            () => $"{lb.Vip}:{Port} never greeted");
        await lab.WaitUntilActiveAsync(lb);
    }

    public sealed class Fixture() : LabFixture(subnet: 210);
}
