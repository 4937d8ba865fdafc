using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>An API token. <see cref="Role"/> and <see cref="ProjectId"/> are fixed once the token exists.</summary>
public sealed record TokenRequest(string? Name, Role? Role, string? ProjectId, DateTimeOffset? ExpiresAt)
{
    public TokenRequest Normalize(ValidationErrors errors)
    {
        var role = Grammar.Required(errors, "role", Role);
        var projectId = ProjectId;
        if (role is Api.Role.Admin && projectId is not null)
        {
            errors.Add("projectId", "must be omitted for an admin token: admins see every project.");
        }
        else if (role is Api.Role.Member or Api.Role.Viewer)
        {
            projectId = Grammar.Required(errors, "projectId", projectId);
        }

        return new(Grammar.Name(errors, "name", Name), role, projectId, ExpiresAt?.ToUniversalTime());
    }
}

/// <summary><see cref="Secret"/> is present once, in the answer that creates the token.</summary>
public sealed record TokenResponse(
    string Id,
    string Name,
    Role Role,
    string? ProjectId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    string? Secret = null);
