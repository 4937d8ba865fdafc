using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Nodes;

namespace Fulcrum.Server.Console.Overview;

/// <summary>A cluster as the overview shows it: its nodes, MASTER first (none for a caller who may not list nodes).</summary>
public sealed record ClusterOverview(ClusterResponse Cluster, IReadOnlyList<NodeResponse> Nodes);

public sealed record OverviewData(IReadOnlyList<ClusterOverview> Clusters, IReadOnlyList<LoadBalancerResponse> LoadBalancers, bool ShowsNodes);

/// <summary>
/// What the overview reads, through the operations and so with the REST API's authorization: every caller sees the
/// clusters and the load balancers of their projects; nodes are an admin's.
/// </summary>
public sealed class OverviewReads(ClusterOperations clusters, NodeOperations nodes, LoadBalancerOperations loadBalancers)
{
    public async Task<OverviewData> ReadAsync(Caller caller, string? projectId, CancellationToken ct)
    {
        var all = await clusters.ListAsync(caller, 0, Paging.MaxLimit, ct);
        var members = caller.IsAdmin
            ? (await nodes.ListAsync(caller, null, 0, Paging.MaxLimit, ct)).Items.ToLookup(n => n.ClusterId)
            : Enumerable.Empty<NodeResponse>().ToLookup(n => n.ClusterId);
        var overviews = all.Items.OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new ClusterOverview(c, Ordered(members[c.Id])))
            .ToList();
        var visible = await loadBalancers.ListAsync(caller, projectId, null, 0, Paging.MaxLimit, ct);
        return new OverviewData(overviews, [.. visible.Items.OrderBy(lb => lb.Name, StringComparer.Ordinal)], caller.IsAdmin);
    }

    public static IReadOnlyList<NodeResponse> Ordered(IEnumerable<NodeResponse> nodes) =>
        [.. nodes.OrderBy(n => n.VrrpState == VrrpState.Master ? 0 : 1).ThenByDescending(n => n.Priority).ThenBy(n => n.Name, StringComparer.Ordinal)];
}
