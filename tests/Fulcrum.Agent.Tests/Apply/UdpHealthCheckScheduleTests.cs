using System.Net;
using System.Net.Sockets;
using System.Text;
using Fulcrum.Agent.Apply;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fulcrum.Agent.Tests.Apply;

/// <summary>Two tenants' UDP checks against backends on loopback, on a fake clock: a slow check holds up no other.</summary>
public sealed class UdpHealthCheckScheduleTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Checks_OneTenantsBackendNeverAnswers_AnotherTenantsChecksKeepTheirOwnSchedule_AndItsBackendIsMarkedDown()
    {
        using var fast = Backend();
        using var silent = Backend();
        var time = new FakeTimeProvider();
        var target = new FakeTarget(Snapshot(
            Tenant("lb-fast", "be-fast", fast, new HealthCheckSpec(HealthCheckType.Udp, 200, 100, 1, 2, null, new UdpCheckSpec("health", "health"))),
            Tenant("lb-slow", "be-silent", silent, new HealthCheckSpec(HealthCheckType.Udp, 20_000, 10_000, 1, 1, null, new UdpCheckSpec("health", "health")))));
        using var checks = new UdpHealthChecks(target, time, NullLogger<UdpHealthChecks>.Instance);
        await checks.StartAsync(CancellationToken.None);

        Assert.NotNull(await ProbedAsync(silent, time, answer: false));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await ProbedAsync(fast, time, answer: true) is not null, $"the fast tenant's probe {i + 1} never came while the slow one waited");
        }

        await ProbedAsync(fast, time, answer: false);
        await ProbedAsync(fast, time, answer: false);
        time.Advance(UdpHealthChecks.Idle);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var down = await target.Downs.Reader.ReadAsync(patience.Token);

        Assert.Equal(["be-fast"], down);
        Assert.Contains(new BackendHealthReport("be-fast", BackendHealth.Down), checks.Health());
        Assert.Contains(new BackendHealthReport("be-silent", BackendHealth.Up), checks.Health());
        await checks.StopAsync(CancellationToken.None);
    }

    private static Socket Backend()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>
    /// Moves the fake clock on in small steps until <paramref name="backend"/> receives a probe (at most 2 s of fake
    /// time: far less than the slow tenant's 10 s timeout), and answers it or not.
    /// </summary>
    private static async Task<string?> ProbedAsync(Socket backend, FakeTimeProvider time, bool answer)
    {
        var buffer = new byte[512];
        for (var attempt = 0; attempt < 40; attempt++)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                var received = await backend.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), wait.Token);
                var text = Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
                if (answer)
                {
                    await backend.SendToAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None, received.RemoteEndPoint);
                }

                return text;
            }
            catch (OperationCanceledException)
            {
                time.Advance(Step);
            }
        }

        return null;
    }

    private static SnapshotLoadBalancer Tenant(string id, string backendId, Socket backend, HealthCheckSpec check)
    {
        var port = ((IPEndPoint)backend.LocalEndPoint!).Port;
        var listener = new SnapshotListener(
            $"{id}-dns", ListenerProtocol.Udp, 53, $"{id}-group", Scheduler.RoundRobin, null, new TimeoutSpec(null, null, null), check, null,
            false, false, false, false, null, null, ProxyProtocol.None, true, []);
        var group = new SnapshotBackendGroup($"{id}-group", [new SnapshotBackend(backendId, "127.0.0.1", port, 1, false, BackendAdminState.Enabled)]);
        return new SnapshotLoadBalancer(id, "198.18.99.10", 32, true, [listener], [group]);
    }

    private static ClusterSnapshot Snapshot(params SnapshotLoadBalancer[] loadBalancers) =>
        new("cl-edge", 1, new VrrpSpec(51, null, null, null), [], loadBalancers, [], []);

    private sealed class FakeTarget(ClusterSnapshot snapshot) : IUdpCheckTarget
    {
        public System.Threading.Channels.Channel<IReadOnlySet<string>> Downs { get; } = System.Threading.Channels.Channel.CreateUnbounded<IReadOnlySet<string>>();

        public ClusterSnapshot? Snapshot => snapshot;

        public IReadOnlySet<string> DownBackendIds { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

        public async Task UseDownBackendsAsync(IReadOnlySet<string> down, CancellationToken ct)
        {
            DownBackendIds = down;
            await Downs.Writer.WriteAsync(down, ct);
        }
    }
}
