using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Tokens;

/// <summary>An API token; only the SHA-256 of its secret is kept.</summary>
public sealed class ApiToken : Resource
{
    public required string Name { get; set; }

    public Role Role { get; init; }

    public string? ProjectId { get; init; }

    public required string SecretHash { get; init; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public TokenRequest ToRequest() => new(Name, Role, ProjectId, ExpiresAt?.AsUtc());

    public TokenResponse ToResponse(string? secret = null) =>
        new(Id, Name, Role, ProjectId, CreatedAt.AsUtc(), ExpiresAt?.AsUtc(), LastUsedAt?.AsUtc(), secret);
}
