using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>A join token enrols one node unless <see cref="MaxUses"/> allows more: a leaked one-use token is worth nothing once used.</summary>
public sealed record JoinTokenRequest(string? ClusterId, string? Description, int? TtlSeconds, int? MaxUses = null)
{
    public const int DefaultTtlSeconds = 24 * 3600;

    public const int MostUses = 1000;

    public JoinTokenRequest Normalize(ValidationErrors errors) => new(
        Grammar.Required(errors, "clusterId", ClusterId),
        Grammar.Description(errors, "description", Description),
        Grammar.Range(errors, "ttlSeconds", TtlSeconds ?? DefaultTtlSeconds, 60, 30 * 24 * 3600),
        Grammar.Range(errors, "maxUses", MaxUses ?? 1, 1, MostUses));
}

/// <summary><see cref="Secret"/> is present once, in the answer that creates the join token.</summary>
public sealed record JoinTokenResponse(
    string Id,
    string ClusterId,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    int MaxUses,
    int Uses,
    string? Secret = null);
