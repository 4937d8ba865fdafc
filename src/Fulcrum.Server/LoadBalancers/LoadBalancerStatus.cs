using Fulcrum.Core.Api;
using Fulcrum.Server.Agent;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.LoadBalancers;

/// <param name="Error">Why provisioning failed: the tool's message as a node reported it, for ERROR only.</param>
public sealed record LoadBalancerStatus(ProvisioningStatus Provisioning, OperatingStatus Operating, string? Error = null)
{
    /// <summary>How far the cluster's online nodes got with the load balancer's last change: counts, no node details.</summary>
    public LoadBalancerProgress Progress { get; init; } = new(Provisioning, 0, 0, Error);
}

/// <summary>How many of the cluster's online nodes applied the load balancer's last change; what a tenant may see of the nodes.</summary>
public sealed record LoadBalancerProgress(ProvisioningStatus Provisioning, int OnlineNodes, int AppliedNodes, string? Error);

/// <summary>
/// Derives load balancer statuses from what the nodes report. Provisioning: ERROR when an online node refused a
/// revision that contains the load balancer's last change (and still serves an older one) — a transient failure the
/// node retries leaves it PENDING — or reports this load
/// balancer refused at or after its last change while serving every other one; ACTIVE once every online node applied
/// it, else PENDING. A node refusing some other load balancer's change leaves this one ACTIVE.
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

    /// <summary>
    /// The operating status of a load balancer or of a part of it (a listener, a rule, a backend group, a backend),
    /// from the health of the backends it sends to: <paramref name="health"/> holds that of the checked ones (enabled or
    /// draining, with a known health).
    /// </summary>
    public static OperatingStatus Operating(bool enabled, ProvisioningStatus provisioning, int onlineNodes, IReadOnlyCollection<BackendHealth> health)
    {
        var down = health.Count(h => h == BackendHealth.Down);
        return (enabled, provisioning, onlineNodes) switch
        {
            (false, _, _) => OperatingStatus.Offline,
            (_, ProvisioningStatus.Error, _) => OperatingStatus.Error,
            (_, _, 0) => OperatingStatus.Offline,
            _ when down > 0 && down == health.Count => OperatingStatus.Error,
            _ when down > 0 => OperatingStatus.Degraded,
            _ => OperatingStatus.Online,
        };
    }

    /// <summary>Whether a backend's health counts towards operating statuses (<see cref="Operating"/>).</summary>
    public static bool IsChecked(BackendAdminState adminState, BackendHealth health) =>
        adminState != BackendAdminState.Disabled && health != BackendHealth.Unknown;

    private static LoadBalancerStatus Of(LoadBalancer lb, List<Node> onlineNodes, List<BackendHealth> health)
    {
        var error = onlineNodes
            .Select(n => Heartbeats.LoadBalancerErrors(n.LoadBalancerErrors).FirstOrDefault(e => e.LoadBalancerId == lb.Id && e.Revision >= lb.Revision)?.Error
                ?? (n.AppliedRevision < lb.Revision && n.LastErrorRevision >= lb.Revision && !n.LastErrorRetried ? n.LastError : null))
            .FirstOrDefault(e => e is not null);
        var provisioning = onlineNodes switch
        {
            [] => ProvisioningStatus.Pending,
            _ when error is not null => ProvisioningStatus.Error,
            _ when onlineNodes.All(n => n.AppliedRevision >= lb.Revision) => ProvisioningStatus.Active,
            _ => ProvisioningStatus.Pending,
        };

        var operating = Operating(lb.Enabled, provisioning, onlineNodes.Count, health);
        var shownError = provisioning == ProvisioningStatus.Error ? error : null;
        return new LoadBalancerStatus(provisioning, operating, shownError)
        {
            Progress = new LoadBalancerProgress(provisioning, onlineNodes.Count, onlineNodes.Count(n => n.AppliedRevision >= lb.Revision), shownError),
        };
    }
}
