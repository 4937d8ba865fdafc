using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Enrolment;
using Fulcrum.Agent.Processes;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fulcrum.Agent.Tests.Apply;

/// <summary>Snapshots of one node's cluster, and a state directory of its own for each test.</summary>
public sealed class TestNode : IDisposable
{
    public const string ClusterId = "cl-test";
    public const string NodeId = "node-a";

    public TestNode()
    {
        State = new StateDirectory(Directory.CreateTempSubdirectory("fulcrum-agent-test-").FullName);
        State.Create();
        Credential = new NodeCredential(new Uri("http://control.test/"), NodeId, ClusterId, "fnc_test");
        Dataplane = new FakeDataplane(State);
        Applier = new Applier(State, Dataplane, new HaproxyRuntime(State, NullLogger<HaproxyRuntime>.Instance), new NodeFactsSource(Credential, State, DataplaneBinaries.Debian), NullLogger<Applier>.Instance);
    }

    public StateDirectory State { get; }

    public NodeCredential Credential { get; }

    public FakeDataplane Dataplane { get; }

    public Applier Applier { get; }

    /// <summary>What <c>current</c> points at: the generation the node serves.</summary>
    public string Current => Path.GetFullPath(new FileInfo(State.Current).LinkTarget!, State.Path);

    /// <summary>A cluster with one load balancer and a TCP listener on each port given.</summary>
    public static ClusterSnapshot Snapshot(long revision, params int[] ports) => Snapshot(ClusterId, revision, ports);

    public static ClusterSnapshot Snapshot(string clusterId, long revision, params int[] ports) => Snapshot(clusterId, revision, ("web", ports));

    /// <summary>A cluster with a load balancer <c>lb-NAME</c> for each entry, with a TCP listener <c>lsn-NAME-PORT</c> on each port.</summary>
    public static ClusterSnapshot Snapshot(long revision, params (string Name, int[] Ports)[] loadBalancers) => Snapshot(ClusterId, revision, loadBalancers);

    private static ClusterSnapshot Snapshot(string clusterId, long revision, params (string Name, int[] Ports)[] loadBalancers) => new(
        clusterId,
        revision,
        new VrrpSpec(51, 200, false, true),
        [new SnapshotNode(NodeId, "198.18.0.11", "eth0", 100)],
        [
            .. loadBalancers.Select((lb, i) => new SnapshotLoadBalancer(
                $"lb-{lb.Name}",
                $"198.18.10.{10 + i}",
                24,
                true,
                [.. lb.Ports.Select(port => new SnapshotListener(
                    $"lsn-{lb.Name}-{port}", ListenerProtocol.Tcp, port, $"bg-{lb.Name}", Scheduler.RoundRobin, null, new TimeoutSpec(5000, 50000, 50000),
                    null, null, false, false, false, false, null, null, ProxyProtocol.None, true, []))],
                [new SnapshotBackendGroup($"bg-{lb.Name}", [new SnapshotBackend($"be-{lb.Name}", "198.18.1.10", 8080, 1, false, BackendAdminState.Enabled)])])),
        ],
        [],
        []);

    public void Dispose()
    {
        Applier.Dispose();
        Directory.Delete(State.Path, recursive: true);
    }
}
