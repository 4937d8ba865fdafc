using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

public sealed record BackendGroupRequest(string? LoadBalancerId, string? Name, string? Description)
{
    public BackendGroupRequest Normalize(ValidationErrors errors) => new(
        Grammar.Required(errors, "loadBalancerId", LoadBalancerId),
        Grammar.Name(errors, "name", Name),
        Grammar.Description(errors, "description", Description));
}

public sealed record BackendGroupResponse(
    string Id,
    string LoadBalancerId,
    string Name,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
