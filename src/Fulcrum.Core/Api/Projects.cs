using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

public sealed record ProjectRequest(string? Name, string? Description)
{
    public ProjectRequest Normalize(ValidationErrors errors) =>
        new(Grammar.Name(errors, "name", Name), Grammar.Description(errors, "description", Description));
}

public sealed record ProjectResponse(string Id, string Name, string Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
