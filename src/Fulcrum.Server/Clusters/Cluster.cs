using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Clusters;

public sealed class Cluster : Resource, IWritable<ClusterRequest>
{
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public int VirtualRouterId { get; set; }

    public int AdvertIntervalMs { get; set; }

    public bool Preempt { get; set; }

    public bool Unicast { get; set; }

    public List<string> VipPools { get; set; } = [];

    public List<int> VipPrefixLengths { get; set; } = [.. ClusterRequest.DefaultVipPrefixLengths];

    /// <summary>Where backends may be although their class is refused (loopback, link-local, the nodes' addresses).</summary>
    public List<string> BackendAllowedRanges { get; set; } = [];

    /// <summary>Moves with every change that affects the cluster's nodes; bumped inside the writing transaction.</summary>
    public long Revision { get; set; }

    /// <summary>The MASTER a manual failover under way moves the VIPs from; null when none is under way.</summary>
    public string? FailoverFromNodeId { get; set; }

    /// <summary>The node a manual failover under way moves the VIPs to: every other node stands aside meanwhile.</summary>
    public string? FailoverTargetNodeId { get; set; }

    public DateTime? FailoverRequestedAt { get; set; }

    public VrrpSpec Vrrp => new(VirtualRouterId, AdvertIntervalMs, Preempt, Unicast);

    /// <summary>What the snapshot holds of the cluster itself; VIP pools and prefix lengths only guard the API.</summary>
    public object NodeView() => new { Vrrp, BackendAllowedRanges };

    public ClusterRequest ToRequest() => new(Name, Description, Vrrp, VipPools, VipPrefixLengths, BackendAllowedRanges);

    public IReadOnlyList<System.Net.IPNetwork> BackendAllowed() => [.. BackendAllowedRanges.Select(System.Net.IPNetwork.Parse)];

    public void Apply(ClusterRequest spec)
    {
        Name = spec.Name!;
        Description = spec.Description!;
        VirtualRouterId = spec.Vrrp!.VirtualRouterId!.Value;
        AdvertIntervalMs = spec.Vrrp.AdvertIntervalMs!.Value;
        Preempt = spec.Vrrp.Preempt!.Value;
        Unicast = spec.Vrrp.Unicast!.Value;
        VipPools = [.. spec.VipPools!];
        VipPrefixLengths = [.. spec.VipPrefixLengths!];
        BackendAllowedRanges = [.. spec.BackendAllowedRanges!];
    }

    public ClusterResponse ToResponse(IReadOnlyList<string>? masters = null) =>
        new(Id, Name, Description, Vrrp, VipPools, VipPrefixLengths, BackendAllowedRanges, Revision, CreatedAt.AsUtc(), UpdatedAt.AsUtc(), masters ?? [], Failover());

    private FailoverStatus? Failover() =>
        FailoverTargetNodeId is { } target && FailoverFromNodeId is { } from && FailoverRequestedAt is { } at ? new(from, target, at.AsUtc()) : null;
}
