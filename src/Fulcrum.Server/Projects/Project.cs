using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Projects;

public sealed class Project : Resource, IWritable<ProjectRequest>
{
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public ProjectQuotas Quotas { get; set; } = ProjectQuotas.Defaults;

    public object? NodeView() => null;

    public ProjectRequest ToRequest() => new(Name, Description, Quotas);

    public void Apply(ProjectRequest spec)
    {
        Name = spec.Name!;
        Description = spec.Description!;
        Quotas = spec.Quotas!;
    }

    public ProjectResponse ToResponse() => new(Id, Name, Description, Quotas, CreatedAt.AsUtc(), UpdatedAt.AsUtc());
}
