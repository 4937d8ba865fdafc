using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Console.Overview;
using Fulcrum.Server.Http;
using Fulcrum.Server.JoinTokens;
using Fulcrum.Server.Nodes;

namespace Fulcrum.Server.Console.Clusters;

/// <summary>A cluster's page: the cluster, its nodes (MASTER first) and its join tokens, newest first.</summary>
public sealed record ClusterDetail(ClusterResponse Cluster, IReadOnlyList<NodeResponse> Nodes, IReadOnlyList<JoinTokenResponse> JoinTokens);

/// <summary>What the cluster page reads, through the operations: nodes and join tokens are an admin's, as in the REST API.</summary>
public sealed class ClusterReads(ClusterOperations clusters, NodeOperations nodes, JoinTokenOperations joinTokens)
{
    public async Task<ClusterDetail> ReadAsync(Caller caller, string id, CancellationToken ct)
    {
        var cluster = await clusters.GetAsync(caller, id, ct);
        var members = await nodes.ListAsync(caller, id, 0, Paging.MaxLimit, ct);
        var tokens = await joinTokens.ListAsync(caller, id, 0, Paging.MaxLimit, ct);
        return new ClusterDetail(cluster.Value, OverviewReads.Ordered(members.Items), [.. tokens.Items.OrderByDescending(t => t.CreatedAt)]);
    }
}
