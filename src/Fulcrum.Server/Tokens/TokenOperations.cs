using Fulcrum.Core.Api;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Tokens;

/// <summary>API tokens' reads and writes, an admin's: the secret is shown once, in the answer that creates it.</summary>
public sealed class TokenOperations(FulcrumDbContext db, TimeProvider time, AuditLog audit)
{
    private const string Kind = "token";

    public async Task<Page<TokenResponse>> ListAsync(Caller caller, string? projectId, int? offset, int? limit, CancellationToken ct)
    {
        caller.RequireAdmin();
        var query = db.ApiTokens.AsNoTracking().Where(t => projectId == null || t.ProjectId == projectId);
        return await query.PageAsync(offset, limit, t => t.ToResponse(), ct);
    }

    public async Task<Versioned<TokenResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        caller.RequireAdmin();
        var token = await db.ApiTokens.AsNoTracking().ByIdAsync(id, Kind, ct);
        return Versioned.Of(token, token.ToResponse());
    }

    public Task<Versioned<TokenResponse>> CreateAsync(Caller caller, TokenRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.Token, null, async () =>
        {
            caller.RequireAdmin();
            var now = time.UtcDateTime();
            var spec = await ValidateAsync(request, write, now, ct);

            var secret = Ids.NewSecret("fat");
            var token = new ApiToken
            {
                Id = Ids.New("tok"),
                Name = spec.Name!,
                Role = spec.Role!.Value,
                ProjectId = spec.ProjectId,
                SecretHash = Ids.Hash(secret),
                ExpiresAt = spec.ExpiresAt?.UtcDateTime,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.ApiTokens.Add(token);
            await db.SaveAsync(Affected.None, ct);
            return Versioned.Of(token, token.ToResponse(secret));
        });

    public Task<Versioned<TokenResponse>> UpdateAsync(Caller caller, string id, TokenRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.Token, id, async () =>
        {
            caller.RequireAdmin();
            var token = await db.ApiTokens.ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            var now = time.UtcDateTime();
            request = request with { Role = request.Role ?? token.Role, ProjectId = request.ProjectId ?? token.ProjectId };
            if (request.Role != token.Role)
            {
                write.Errors.Add("role", "cannot be changed; create a new token instead.");
            }

            if (request.ProjectId != token.ProjectId)
            {
                write.Errors.Add("projectId", "cannot be changed; create a new token instead.");
            }

            var spec = await ValidateAsync(request, write, now, ct);
            await db.UpdateAsync(token, spec, Writes.Moves(Affected.None), now, ct);
            return Versioned.Of(token, token.ToResponse());
        });

    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.Token, id, async () =>
        {
            caller.RequireAdmin();
            var token = await db.ApiTokens.ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            db.ApiTokens.Remove(token);
            await db.SaveAsync(Affected.None, ct);
        });

    private async Task<TokenRequest> ValidateAsync(TokenRequest request, Write write, DateTime now, CancellationToken ct)
    {
        var spec = request.Normalize(write.Errors);
        if (spec.ProjectId is not null)
        {
            await db.Projects.ReferenceAsync(spec.ProjectId, write.Errors, "projectId", "project", ct);
        }

        if (spec.ExpiresAt is { } expires && expires.UtcDateTime <= now)
        {
            write.Errors.Add("expiresAt", "must be in the future.");
        }

        write.Errors.ThrowIfAny();
        return spec;
    }
}
