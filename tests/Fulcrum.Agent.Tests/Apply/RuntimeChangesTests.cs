using Fulcrum.Agent.Apply;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Agent.Tests.Apply;

public sealed class RuntimeChangesTests
{
    [Fact]
    public void Plan_WeightChanged_ChangesThatServerInEveryBackendUsingTheGroup()
    {
        var next = WithBackend(Served, 0, b => b with { Weight = 3 });

        var plan = RuntimeChanges.Plan(Served, next);

        Assert.NotNull(plan);
        Assert.Equal(
            ["set server lsn-http_bg-web/be-one weight 3", "set server lsn-tcp_bg-web/be-one weight 3"],
            plan.SelectMany(c => c.Commands()));
    }

    [Fact]
    public void Plan_Drain_SetsWeightZeroAsTheRenderedFileDoes()
    {
        var plan = RuntimeChanges.Plan(Served, WithBackend(Served, 1, b => b with { AdminState = BackendAdminState.Drain }));

        Assert.Equal(["set server lsn-http_bg-web/be-two weight 0", "set server lsn-tcp_bg-web/be-two weight 0"], plan!.SelectMany(c => c.Commands()));
    }

    [Fact]
    public void Plan_DisabledThenEnabledAgain_MaintenanceThenReadyWithTheWeightBack()
    {
        var disabled = WithBackend(Served, 0, b => b with { AdminState = BackendAdminState.Disabled });

        Assert.Equal(
            ["set server lsn-http_bg-web/be-one state maint", "set server lsn-tcp_bg-web/be-one state maint"],
            RuntimeChanges.Plan(Served, disabled)!.SelectMany(c => c.Commands()));
        Assert.Equal(
            ["set server lsn-http_bg-web/be-one weight 5", "set server lsn-http_bg-web/be-one state ready", "set server lsn-tcp_bg-web/be-one weight 5", "set server lsn-tcp_bg-web/be-one state ready"],
            RuntimeChanges.Plan(disabled, WithBackend(Served, 0, b => b with { Weight = 5 }))!.SelectMany(c => c.Commands()));
    }

    [Fact]
    public void Plan_AddressAndPortChanged_SetsBoth()
    {
        var plan = RuntimeChanges.Plan(Served, WithBackend(Served, 1, b => b with { Address = "2001:db8:0::7", Port = 9090 }));

        Assert.Equal("set server lsn-http_bg-web/be-two addr 2001:db8::7 port 9090", plan!.SelectMany(c => c.Commands()).First());
    }

    [Fact]
    public void Plan_NothingOfHaproxyChanged_NoServer()
    {
        Assert.Empty(RuntimeChanges.Plan(Served, Served with { Revision = 8 })!);
    }

    [Fact]
    public void Plan_BackendOnlyOfADisabledListener_NoServer()
    {
        var served = Served with { LoadBalancers = [Served.LoadBalancers[0] with { Listeners = [.. Served.LoadBalancers[0].Listeners.Select(l => l with { Enabled = false })] }] };

        Assert.Empty(RuntimeChanges.Plan(served, WithBackend(served, 0, b => b with { Weight = 9 }))!);
    }

    public static TheoryData<string> NeedAReload => new() { "added", "removed", "reordered", "backup", "listener", "source-ip weight" };

    [Theory]
    [MemberData(nameof(NeedAReload))]
    public void Plan_AnythingButAddressWeightOrAdminState_NeedsAReload(string change)
    {
        var lb = Served.LoadBalancers[0];
        var group = lb.BackendGroups[0];
        var next = change switch
        {
            "added" => WithGroup(Served, group with { Backends = [.. group.Backends, new SnapshotBackend("be-new", "198.18.1.30", 8080, 1, false, BackendAdminState.Enabled)] }),
            "removed" => WithGroup(Served, group with { Backends = [group.Backends[0]] }),
            "reordered" => WithGroup(Served, group with { Backends = [group.Backends[1], group.Backends[0]] }),
            "backup" => WithBackend(Served, 1, b => b with { Backup = true }),
            "listener" => Served with { LoadBalancers = [lb with { Listeners = [lb.Listeners[0] with { Port = 81 }, lb.Listeners[1]] }] },
            _ => WithBackend(Served with { LoadBalancers = [lb with { Listeners = [lb.Listeners[0] with { Scheduler = Scheduler.SourceIp }, lb.Listeners[1]] }] }, 0, b => b with { Weight = 2 }),
        };
        var served = change == "source-ip weight" ? next with { LoadBalancers = [next.LoadBalancers[0] with { BackendGroups = Served.LoadBalancers[0].BackendGroups }] } : Served;

        Assert.Null(RuntimeChanges.Plan(served, next));
    }

    private static ClusterSnapshot Served { get; } = new(
        "cl-lab",
        7,
        new VrrpSpec(51, 200, false, true),
        [new SnapshotNode("node-a", "198.18.0.11", "eth0", 100)],
        [
            new SnapshotLoadBalancer("lb-web", "198.18.10.1", 24, true,
                [Listen("lsn-http", ListenerProtocol.Http, 80), Listen("lsn-tcp", ListenerProtocol.Tcp, 7000)],
                [
                    new SnapshotBackendGroup("bg-web",
                    [
                        new SnapshotBackend("be-one", "198.18.1.10", 8080, 1, false, BackendAdminState.Enabled),
                        new SnapshotBackend("be-two", "198.18.1.11", 8080, 1, false, BackendAdminState.Enabled),
                    ]),
                ]),
        ],
        [],
        []);

    private static SnapshotListener Listen(string id, ListenerProtocol protocol, int port) => new(
        id, protocol, port, "bg-web", Scheduler.RoundRobin, null, new TimeoutSpec(5000, 50000, 50000), null, null,
        ForwardedHeaders: false, Gzip: false, Http2: false, RedirectToHttps: false, null, null, ProxyProtocol.None, Enabled: true, []);

    private static ClusterSnapshot WithGroup(ClusterSnapshot s, SnapshotBackendGroup group) =>
        s with { Revision = s.Revision + 1, LoadBalancers = [s.LoadBalancers[0] with { BackendGroups = [group] }] };

    private static ClusterSnapshot WithBackend(ClusterSnapshot s, int index, Func<SnapshotBackend, SnapshotBackend> change)
    {
        var group = s.LoadBalancers[0].BackendGroups[0];
        return WithGroup(s, group with { Backends = [.. group.Backends.Select((b, i) => i == index ? change(b) : b)] });
    }
}
