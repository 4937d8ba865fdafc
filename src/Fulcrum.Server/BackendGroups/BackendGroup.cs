using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.BackendGroups;

public sealed class BackendGroup : LoadBalancerPart, IWritable<BackendGroupRequest>
{
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    /// <summary>Its part of the cluster's snapshot, without backends: the nodes know a group by its id alone.</summary>
    public SnapshotBackendGroup ToSnapshot() => new(Id, []);

    public object NodeView() => ToSnapshot();

    public BackendGroupRequest ToRequest() => new(LoadBalancerId, Name, Description);

    public void Apply(BackendGroupRequest spec)
    {
        Name = spec.Name!;
        Description = spec.Description!;
    }

    public BackendGroupResponse ToResponse() =>
        new(Id, LoadBalancerId, Name, Description, CreatedAt.AsUtc(), UpdatedAt.AsUtc());
}
