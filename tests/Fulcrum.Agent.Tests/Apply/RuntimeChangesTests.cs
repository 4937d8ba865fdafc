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

        var plan = RuntimeChanges.Plan(Served, next, Config);

        Assert.NotNull(plan);
        Assert.Equal(
            ["set server lsn-http_bg-web/be-one weight 3", "set server lsn-tcp_bg-web/be-one weight 3"],
            plan.SelectMany(c => c.Commands()));
    }

    [Fact]
    public void Plan_Drain_SetsWeightZeroAsTheRenderedFileDoes()
    {
        var plan = RuntimeChanges.Plan(Served, WithBackend(Served, 1, b => b with { AdminState = BackendAdminState.Drain }), Config);

        Assert.Equal(["set server lsn-http_bg-web/be-two weight 0", "set server lsn-tcp_bg-web/be-two weight 0"], plan!.SelectMany(c => c.Commands()));
    }

    [Fact]
    public void Plan_DisabledThenEnabledAgain_MaintenanceThenReadyWithTheWeightBack()
    {
        var disabled = WithBackend(Served, 0, b => b with { AdminState = BackendAdminState.Disabled });

        Assert.Equal(
            ["set server lsn-http_bg-web/be-one state maint", "set server lsn-tcp_bg-web/be-one state maint"],
            RuntimeChanges.Plan(Served, disabled, Config)!.SelectMany(c => c.Commands()));
        Assert.Equal(
            ["set server lsn-http_bg-web/be-one weight 5", "set server lsn-http_bg-web/be-one state ready", "set server lsn-tcp_bg-web/be-one weight 5", "set server lsn-tcp_bg-web/be-one state ready"],
            RuntimeChanges.Plan(disabled, WithBackend(Served, 0, b => b with { Weight = 5 }), Config)!.SelectMany(c => c.Commands()));
    }

    [Fact]
    public void Plan_AddressAndPortChanged_SetsBoth()
    {
        var plan = RuntimeChanges.Plan(Served, WithBackend(Served, 1, b => b with { Address = "2001:db8:0::7", Port = 9090 }), Config);

        Assert.Equal("set server lsn-http_bg-web/be-two addr 2001:db8::7 port 9090", plan!.SelectMany(c => c.Commands()).First());
    }

    [Fact]
    public void Plan_NothingOfHaproxyChanged_NoServer()
    {
        Assert.Empty(RuntimeChanges.Plan(Served, Served with { Revision = 8 }, Config)!);
    }

    [Fact]
    public void Plan_BackendOnlyOfADisabledListener_NoServer()
    {
        var served = Served with { LoadBalancers = [Served.LoadBalancers[0] with { Listeners = [.. Served.LoadBalancers[0].Listeners.Select(l => l with { Enabled = false })] }] };

        Assert.Empty(RuntimeChanges.Plan(served, WithBackend(served, 0, b => b with { Weight = 9 }), Config)!);
    }

    [Fact]
    public void Plan_BackendAdded_AddedWithItsRenderedLineAndTheBackendsDefaultsThenChecksOnAndReady()
    {
        var group = Served.LoadBalancers[0].BackendGroups[0];
        var next = WithGroup(Served, group with { Backends = [.. group.Backends, new SnapshotBackend("be-new", "198.18.1.30", 8080, 2, false, BackendAdminState.Enabled)] });

        var plan = RuntimeChanges.Plan(Served, next, Config);

        Assert.Equal(
            [
                "add server lsn-http_bg-web/be-new 198.18.1.30:8080 weight 2 check send-proxy inter 2s rise 2 fall 3",
                "enable health lsn-http_bg-web/be-new",
                "set server lsn-http_bg-web/be-new state ready",
                "add server lsn-tcp_bg-web/be-new 198.18.1.30:8080 weight 2",
                "set server lsn-tcp_bg-web/be-new state ready",
            ],
            plan!.SelectMany(c => c.AddCommands()));
        Assert.Empty(plan!.SelectMany(c => c.Commands()));
    }

    [Fact]
    public void Plan_DisabledBackendAdded_StaysInMaintenanceWithoutTheConfiguredDisabledFlag()
    {
        var group = Served.LoadBalancers[0].BackendGroups[0];
        var next = WithGroup(Served, group with { Backends = [.. group.Backends, new SnapshotBackend("be-new", "198.18.1.30", 8080, 2, false, BackendAdminState.Disabled)] });

        var plan = RuntimeChanges.Plan(Served, next, Config.Replace("weight 2 check send-proxy", "weight 2 check disabled send-proxy", StringComparison.Ordinal));

        Assert.Equal(
            ["add server lsn-http_bg-web/be-new 198.18.1.30:8080 weight 2 check send-proxy inter 2s rise 2 fall 3", "enable health lsn-http_bg-web/be-new"],
            plan!.SelectMany(c => c.AddCommands()).Take(2));
        Assert.DoesNotContain("set server lsn-http_bg-web/be-new state ready", plan!.SelectMany(c => c.AddCommands()));
    }

    [Fact]
    public void Plan_BackendRemoved_MaintenanceSessionsShutThenDeleted()
    {
        var group = Served.LoadBalancers[0].BackendGroups[0];

        var plan = RuntimeChanges.Plan(Served, WithGroup(Served, group with { Backends = [group.Backends[0]] }), Config);

        Assert.Equal(
            ["set server lsn-http_bg-web/be-two state maint", "shutdown sessions server lsn-http_bg-web/be-two", "set server lsn-tcp_bg-web/be-two state maint", "shutdown sessions server lsn-tcp_bg-web/be-two"],
            plan!.SelectMany(c => c.Commands()));
        Assert.Equal(["del server lsn-http_bg-web/be-two", "del server lsn-tcp_bg-web/be-two"], plan!.Select(c => c.DeleteCommand));
        Assert.Empty(plan!.SelectMany(c => c.AddCommands()));
    }

    [Fact]
    public void Plan_SwitchedToBackup_DeletedAndAddedAgainAsBackup()
    {
        var config = Config.Replace("be-new 198.18.1.30:8080 weight 2 check send-proxy", "be-two 198.18.1.11:8080 weight 1 check backup", StringComparison.Ordinal)
            .Replace("server be-new 198.18.1.30:8080 weight 2", "server be-two 198.18.1.11:8080 weight 1 backup", StringComparison.Ordinal);

        var plan = RuntimeChanges.Plan(Served, WithBackend(Served, 1, b => b with { Backup = true }), config);

        Assert.Equal(["del server lsn-http_bg-web/be-two", "del server lsn-tcp_bg-web/be-two"], plan!.Select(c => c.DeleteCommand));
        Assert.Equal("add server lsn-http_bg-web/be-two 198.18.1.11:8080 weight 1 check backup inter 2s rise 2 fall 3", plan!.SelectMany(c => c.AddCommands()).First());
    }

    [Fact]
    public void Plan_Reordered_NothingToChange()
    {
        var group = Served.LoadBalancers[0].BackendGroups[0];

        Assert.Empty(RuntimeChanges.Plan(Served, WithGroup(Served, group with { Backends = [group.Backends[1], group.Backends[0]] }), Config)!);
    }

    [Fact]
    public void Plan_SourceIpWeight_ChangedAtRuntime()
    {
        var lb = Served.LoadBalancers[0];
        var source = Served with { LoadBalancers = [lb with { Listeners = [lb.Listeners[0] with { Scheduler = Scheduler.SourceIp }, lb.Listeners[1]] }] };

        Assert.Equal(2, RuntimeChanges.Plan(source, WithBackend(source, 0, b => b with { Weight = 2 }), Config)!.Count);
    }

    public static TheoryData<string> NeedAReload => new() { "added without a rendered line", "added to a cookie-sticky backend", "listener" };

    [Theory]
    [MemberData(nameof(NeedAReload))]
    public void Plan_AnythingButTheBackendsOfExistingGroupsOrWhatRuntimeCannotAdd_NeedsAReload(string change)
    {
        var lb = Served.LoadBalancers[0];
        var group = lb.BackendGroups[0];
        var added = WithGroup(Served, group with { Backends = [.. group.Backends, new SnapshotBackend("be-new", "198.18.1.30", 8080, 2, false, BackendAdminState.Enabled)] });
        var (next, config) = change switch
        {
            "added without a rendered line" => (added, ""),
            "added to a cookie-sticky backend" => (added, Config.Replace("weight 2 check send-proxy", "weight 2 check send-proxy cookie be-new", StringComparison.Ordinal)),
            _ => (Served with { LoadBalancers = [lb with { Listeners = [lb.Listeners[0] with { Port = 81 }, lb.Listeners[1]] }] }, Config),
        };

        Assert.Null(RuntimeChanges.Plan(Served, next, config));
    }

    /// <summary>What the renderer writes for the two backends with be-new added.</summary>
    private const string Config = """
        global
            maxconn 100
        backend lsn-http_bg-web from http
            balance roundrobin
            default-server inter 2s rise 2 fall 3
            server be-one 198.18.1.10:8080 weight 1 check send-proxy
            server be-two 198.18.1.11:8080 weight 1 check send-proxy
            server be-new 198.18.1.30:8080 weight 2 check send-proxy
        backend lsn-tcp_bg-web from tcp
            balance roundrobin
            server be-one 198.18.1.10:8080 weight 1
            server be-two 198.18.1.11:8080 weight 1
            server be-new 198.18.1.30:8080 weight 2
        """;

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
