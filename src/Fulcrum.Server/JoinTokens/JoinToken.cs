using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.JoinTokens;

/// <summary>A secret an agent trades for a node credential; good for <see cref="MaxUses"/> nodes until it expires or is revoked.</summary>
public sealed class JoinToken : Resource
{
    public required string ClusterId { get; init; }

    public string Description { get; set; } = "";

    public required string SecretHash { get; init; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public int MaxUses { get; init; } = 1;

    /// <summary>How many nodes joined with it; a join counts under the token's concurrency check, so racing joins cannot overspend it.</summary>
    public int Uses { get; set; }

    public JoinTokenResponse ToResponse(string? secret = null) =>
        new(Id, ClusterId, Description, CreatedAt.AsUtc(), ExpiresAt.AsUtc(), RevokedAt?.AsUtc(), MaxUses, Uses, secret);
}
