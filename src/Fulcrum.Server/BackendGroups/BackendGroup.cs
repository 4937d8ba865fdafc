using Fulcrum.Core.Api;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.BackendGroups;

public sealed class BackendGroup : LoadBalancerPart
{
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public BackendGroupRequest ToRequest() => new(LoadBalancerId, Name, Description);

    public void Apply(BackendGroupRequest spec)
    {
        Name = spec.Name!;
        Description = spec.Description!;
    }

    public BackendGroupResponse ToResponse() =>
        new(Id, LoadBalancerId, Name, Description, CreatedAt.AsUtc(), UpdatedAt.AsUtc());
}
