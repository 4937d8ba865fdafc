using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.LoadBalancers;

public sealed class LoadBalancer : Resource, IProjectScoped, IWritable<LoadBalancerRequest>
{
    public required string ProjectId { get; init; }

    public required string ClusterId { get; init; }

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public required string Vip { get; set; }

    public int VipPrefixLength { get; set; }

    public bool Enabled { get; set; }

    /// <summary>The cluster revision of the last change to this load balancer or anything in it.</summary>
    public long Revision { get; set; }

    /// <summary>Its part of the cluster's snapshot, without listeners and backend groups.</summary>
    public SnapshotLoadBalancer ToSnapshot() => new(Id, Vip, VipPrefixLength, Enabled, [], []);

    public object NodeView() => ToSnapshot();

    public LoadBalancerRequest ToRequest() => new(ProjectId, ClusterId, Name, Description, Vip, VipPrefixLength, Enabled);

    public void Apply(LoadBalancerRequest spec)
    {
        Name = spec.Name!;
        Description = spec.Description!;
        Vip = spec.Vip!;
        VipPrefixLength = spec.VipPrefixLength!.Value;
        Enabled = spec.Enabled!.Value;
    }

    public LoadBalancerResponse ToResponse(LoadBalancerStatus status) => new(
        Id,
        ProjectId,
        ClusterId,
        Name,
        Description,
        Vip,
        VipPrefixLength,
        Enabled,
        status.Provisioning,
        status.Operating,
        CreatedAt.AsUtc(),
        UpdatedAt.AsUtc(),
        status.Error);
}

/// <summary>
/// Something inside a load balancer. The owning project, cluster and load balancer never change, so they are kept
/// on every part: access checks and revision bumps need no joins.
/// </summary>
public abstract class LoadBalancerPart : Resource, IProjectScoped
{
    public required string ProjectId { get; init; }

    public required string ClusterId { get; init; }

    public required string LoadBalancerId { get; init; }
}
