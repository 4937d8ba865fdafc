using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Tokens;

/// <summary>An API token; only the SHA-256 of its secret is kept.</summary>
public sealed class ApiToken : Resource, IWritable<TokenRequest>
{
    public required string Name { get; set; }

    public Role Role { get; init; }

    public string? ProjectId { get; init; }

    public required string SecretHash { get; init; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public object? NodeView() => null;

    /// <summary>Only the name and the expiry change; role and project are fixed when the token is made.</summary>
    public void Apply(TokenRequest spec)
    {
        Name = spec.Name!;
        ExpiresAt = spec.ExpiresAt?.UtcDateTime;
    }

    public TokenRequest ToRequest() => new(Name, Role, ProjectId, ExpiresAt?.AsUtc());

    public TokenResponse ToResponse(string? secret = null) =>
        new(Id, Name, Role, ProjectId, CreatedAt.AsUtc(), ExpiresAt?.AsUtc(), LastUsedAt?.AsUtc(), secret);
}
