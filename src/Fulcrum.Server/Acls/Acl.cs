using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Acls;

public sealed class Acl : Resource, IProjectScoped, IWritable<AclRequest>
{
    public required string ProjectId { get; init; }

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public List<AclEntry> Entries { get; set; } = [];

    public SnapshotAcl ToSnapshot() => new(Id, Entries.Select(e => e.Cidr!).ToList());

    public object NodeView() => ToSnapshot();

    public AclRequest ToRequest() => new(ProjectId, Name, Description, Entries);

    public void Apply(AclRequest spec)
    {
        Name = spec.Name!;
        Description = spec.Description!;
        Entries = [.. spec.Entries!];
    }

    public AclResponse ToResponse() => new(Id, ProjectId, Name, Description, Entries, CreatedAt.AsUtc(), UpdatedAt.AsUtc());
}
