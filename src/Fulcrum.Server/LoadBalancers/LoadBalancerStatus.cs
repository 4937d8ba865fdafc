using Fulcrum.Core.Api;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.LoadBalancers;

public sealed record LoadBalancerStatus(ProvisioningStatus Provisioning, OperatingStatus Operating);

/// <summary>
/// Derives load balancer statuses from what the nodes report. Provisioning: ERROR when an online node failed to apply
/// a revision that contains the load balancer's last change (and still serves an older one), ACTIVE once every online
/// node applied it, else PENDING. A node refusing some other load balancer's change leaves this one ACTIVE.
/// Operating: OFFLINE when disabled or no node is online, ERROR when provisioning failed or every checked backend is
/// down, DEGRADED when some are, else ONLINE.
/// </summary>
public sealed class LoadBalancerStatuses(FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options)
{
    public async Task<IReadOnlyDictionary<string, LoadBalancerStatus>> ForAsync(IReadOnlyCollection<LoadBalancer> loadBalancers, CancellationToken cancellationToken)
    {
        var clusterIds = loadBalancers.Select(lb => lb.ClusterId).Distinct().ToList();
        var loadBalancerIds = loadBalancers.Select(lb => lb.Id).ToList();
        var now = time.UtcDateTime();
        var onlineNodes = (await db.Nodes.AsNoTracking().Where(n => clusterIds.Contains(n.ClusterId)).ToListAsync(cancellationToken))
            .Where(n => n.IsOnline(now, options.Value.NodeOfflineAfter))
            .ToLookup(n => n.ClusterId);
        var health = (await db.Backends.AsNoTracking()
                .Where(b => loadBalancerIds.Contains(b.LoadBalancerId) && b.AdminState != BackendAdminState.Disabled && b.Health != BackendHealth.Unknown)
                .Select(b => new { b.LoadBalancerId, b.Health })
                .ToListAsync(cancellationToken))
            .ToLookup(b => b.LoadBalancerId, b => b.Health);

        return loadBalancers.ToDictionary(lb => lb.Id, lb => Of(lb, onlineNodes[lb.ClusterId].ToList(), health[lb.Id].ToList()));
    }

    public async Task<LoadBalancerStatus> ForAsync(LoadBalancer loadBalancer, CancellationToken cancellationToken) =>
        (await ForAsync([loadBalancer], cancellationToken))[loadBalancer.Id];

    private static LoadBalancerStatus Of(LoadBalancer lb, List<Node> onlineNodes, List<BackendHealth> health)
    {
        var provisioning = onlineNodes switch
        {
            [] => ProvisioningStatus.Pending,
            _ when onlineNodes.Any(n => n.AppliedRevision < lb.Revision && n.LastErrorRevision >= lb.Revision) => ProvisioningStatus.Error,
            _ when onlineNodes.All(n => n.AppliedRevision >= lb.Revision) => ProvisioningStatus.Active,
            _ => ProvisioningStatus.Pending,
        };

        var down = health.Count(h => h == BackendHealth.Down);
        var operating = (lb.Enabled, provisioning, onlineNodes.Count) switch
        {
            (false, _, _) => OperatingStatus.Offline,
            (_, ProvisioningStatus.Error, _) => OperatingStatus.Error,
            (_, _, 0) => OperatingStatus.Offline,
            _ when down > 0 && down == health.Count => OperatingStatus.Error,
            _ when down > 0 => OperatingStatus.Degraded,
            _ => OperatingStatus.Online,
        };

        return new LoadBalancerStatus(provisioning, operating);
    }
}
