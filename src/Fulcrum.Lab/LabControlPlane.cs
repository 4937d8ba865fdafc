using Fulcrum.Core.Api;

namespace Fulcrum.Lab;

/// <summary>What the tests and the benchmarks ask of a lab's control plane alike.</summary>
public static class LabControlPlane
{
    public static Task<LoadBalancerResponse> CreateLoadBalancerAsync(this LabDeployment lab, string name, string? clusterId = null) =>
        lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = clusterId ?? lab.Cluster.Id, name });

    public static Task<BackendGroupResponse> CreateGroupAsync(this LabDeployment lab, LoadBalancerResponse lb, string name) =>
        lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name });

    public static async Task<long> RevisionAsync(this LabDeployment lab, string? clusterId = null) =>
        (await lab.GetAsync<ClusterResponse>($"clusters/{clusterId ?? lab.Cluster.Id}")).Revision;

    /// <summary>The lab cluster's nodes as the API reports them (500: the most a page holds).</summary>
    public static async Task<IReadOnlyList<NodeResponse>> NodesAsync(this LabDeployment lab) =>
        (await lab.GetAsync<Page<NodeResponse>>($"nodes?clusterId={lab.Cluster.Id}&limit=500")).Items;

    /// <summary>
    /// Every node online and caught up with the cluster's revision without an error, one of them MASTER and the others
    /// BACKUP: a cluster at rest, ready for the next move.
    /// </summary>
    public static async Task<bool> SettledAsync(this LabDeployment lab)
    {
        var revision = await lab.RevisionAsync();
        var nodes = await lab.NodesAsync();
        return nodes.All(n => n.Online && n.AppliedRevision >= revision && n.LastError is null && n.VrrpState is VrrpState.Master or VrrpState.Backup)
            && nodes.Count(n => n.VrrpState == VrrpState.Master) == 1;
    }

    /// <summary>The node the API reports as the one online MASTER, once there is exactly one; the nodes' states if there never is.</summary>
    public static Task<LabNode> MasterAsync(this LabDeployment lab, TimeSpan deadline) => OneMasterAsync(lab, null, deadline);

    /// <summary>
    /// Waits until the API reports <paramref name="expected"/> as the one online MASTER: right after a move, the old
    /// MASTER may still be the one reported, until its heartbeats stop or the new one reports.
    /// </summary>
    public static Task<LabNode> MasterAsync(this LabDeployment lab, LabNode expected, TimeSpan deadline) => OneMasterAsync(lab, expected, deadline);

    private static async Task<LabNode> OneMasterAsync(LabDeployment lab, LabNode? expected, TimeSpan deadline)
    {
        LabNode? master = null;
        IReadOnlyList<NodeResponse> nodes = [];
        await Eventually.TrueAsync(
            async () =>
            {
                nodes = await lab.NodesAsync();
                var masters = nodes.Where(n => n.Online && n.VrrpState == VrrpState.Master).ToList();
                master = masters.Count == 1 ? lab.Nodes.Single(n => n.NodeId == masters[0].Id) : null;
                return master is not null && (expected is null || master == expected);
            },
            deadline,
            () => (expected is null ? "no single online MASTER was reported: " : $"{expected.NodeId} was never reported the one online MASTER: ")
                + string.Join("; ", nodes.Select(n => $"{n.Name} {(n.Online ? "online" : "offline")} {n.VrrpState}, last seen {n.LastSeenAt:HH:mm:ss.fff}, revision {n.AppliedRevision}")));
        return master!;
    }
}
