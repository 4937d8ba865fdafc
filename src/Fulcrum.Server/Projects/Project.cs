using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Projects;

public sealed class Project : Resource
{
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public ProjectRequest ToRequest() => new(Name, Description);

    public void Apply(ProjectRequest spec)
    {
        Name = spec.Name!;
        Description = spec.Description!;
    }

    public ProjectResponse ToResponse() => new(Id, Name, Description, CreatedAt.AsUtc(), UpdatedAt.AsUtc());
}
