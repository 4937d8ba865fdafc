using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

public sealed record JoinTokenRequest(string? ClusterId, string? Description, int? TtlSeconds)
{
    public const int DefaultTtlSeconds = 24 * 3600;

    public JoinTokenRequest Normalize(ValidationErrors errors) => new(
        Grammar.Required(errors, "clusterId", ClusterId),
        Grammar.Description(errors, "description", Description),
        Grammar.Range(errors, "ttlSeconds", TtlSeconds ?? DefaultTtlSeconds, 60, 30 * 24 * 3600));
}

/// <summary><see cref="Secret"/> is present once, in the answer that creates the join token.</summary>
public sealed record JoinTokenResponse(
    string Id,
    string ClusterId,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? Secret = null);
