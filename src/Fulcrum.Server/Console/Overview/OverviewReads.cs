using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Console.Overview;

/// <summary>A cluster as the overview shows it: its nodes, MASTER first.</summary>
public sealed record ClusterOverview(ClusterResponse Cluster, IReadOnlyList<NodeResponse> Nodes);

public sealed record OverviewData(IReadOnlyList<ClusterOverview> Clusters, IReadOnlyList<LoadBalancerResponse> LoadBalancers);

/// <summary>What the overview page reads, with the caller's visibility: every caller sees the clusters, and the load balancers of their projects.</summary>
public sealed class OverviewReads(FulcrumDbContext db, LoadBalancerStatuses statuses, TimeProvider time, IOptions<FulcrumServerOptions> options)
{
    public async Task<OverviewData> ReadAsync(Caller caller, string? projectId, CancellationToken ct)
    {
        var now = time.UtcDateTime();
        var offlineAfter = options.Value.NodeOfflineAfter;
        var clusters = await db.Clusters.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
        var nodes = (await db.Nodes.AsNoTracking().ToListAsync(ct))
            .Select(n => n.ToResponse(now, offlineAfter))
            .ToLookup(n => n.ClusterId);
        var overviews = clusters.Select(c =>
        {
            var members = nodes[c.Id].OrderBy(n => n.VrrpState == VrrpState.Master ? 0 : 1).ThenByDescending(n => n.Priority).ThenBy(n => n.Name).ToList();
            return new ClusterOverview(c.ToResponse([.. members.Where(n => n.VrrpState == VrrpState.Master).Select(n => n.Id).Order(StringComparer.Ordinal)]), members);
        }).ToList();

        var loadBalancers = await caller.Visible(db.LoadBalancers.AsNoTracking())
            .Where(lb => projectId == null || lb.ProjectId == projectId)
            .OrderBy(lb => lb.Name)
            .ToListAsync(ct);
        var status = await statuses.ForAsync(loadBalancers, ct);
        return new OverviewData(overviews, [.. loadBalancers.Select(lb => lb.ToResponse(status[lb.Id]))]);
    }
}
