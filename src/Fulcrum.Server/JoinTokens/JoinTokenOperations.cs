using Fulcrum.Core.Api;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.JoinTokens;

/// <summary>Join tokens' reads and writes, an admin's. Revoking keeps the token listed, with its revocation time.</summary>
public sealed class JoinTokenOperations(FulcrumDbContext db, TimeProvider time, AuditLog audit)
{
    private const string Kind = "join token";

    public async Task<Page<JoinTokenResponse>> ListAsync(Caller caller, string? clusterId, int? offset, int? limit, CancellationToken ct)
    {
        caller.RequireAdmin();
        var query = db.JoinTokens.AsNoTracking().Where(t => clusterId == null || t.ClusterId == clusterId);
        return await query.PageAsync(offset, limit, t => t.ToResponse(), ct);
    }

    public async Task<Versioned<JoinTokenResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        caller.RequireAdmin();
        var token = await db.JoinTokens.AsNoTracking().ByIdAsync(id, Kind, ct);
        return Versioned.Of(token, token.ToResponse());
    }

    /// <summary>The answer holds the secret, shown this once.</summary>
    public Task<Versioned<JoinTokenResponse>> CreateAsync(Caller caller, JoinTokenRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.JoinToken, null, async () =>
        {
            caller.RequireAdmin();
            var spec = request.Normalize(write.Errors);
            await db.Clusters.ReferenceAsync(spec.ClusterId, write.Errors, "clusterId", "cluster", ct);
            write.Errors.ThrowIfAny();

            var now = time.UtcDateTime();
            var secret = Ids.NewSecret("fjt");
            var token = new JoinToken
            {
                Id = Ids.New("jt"),
                ClusterId = spec.ClusterId!,
                Description = spec.Description!,
                SecretHash = Ids.Hash(secret),
                ExpiresAt = now.AddSeconds(spec.TtlSeconds!.Value),
                MaxUses = spec.MaxUses!.Value,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.JoinTokens.Add(token);
            await db.SaveAsync(Affected.None, ct);
            return Versioned.Of(token, token.ToResponse(secret));
        });

    public Task RevokeAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "revoke", AuditResources.JoinToken, id, async () =>
        {
            caller.RequireAdmin();
            var token = await db.JoinTokens.ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            if (token.RevokedAt is null)
            {
                var now = time.UtcDateTime();
                token.RevokedAt = now;
                token.Touch(now);
                await db.SaveAsync(Affected.None, ct);
            }
        });
}
