using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Tokens;

/// <summary>API tokens are made and revoked by admins; the secret is shown once, in the answer that creates it.</summary>
public sealed class TokenOperations(FulcrumDbContext db, TimeProvider time)
{
    private const string Kind = "token";

    public async Task<Versioned<TokenResponse>> CreateAsync(Caller caller, TokenRequest request, Write write, CancellationToken ct)
    {
        caller.RequireAdmin();
        var now = time.UtcDateTime();
        var spec = await ValidateAsync(request, write.Errors, now, ct);

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
        return token.Versioned(token.ToResponse(secret));
    }

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
        return token.Versioned(token.ToResponse());
    }

    public async Task<Versioned<TokenResponse>> UpdateAsync(Caller caller, string id, TokenRequest request, Write write, CancellationToken ct)
    {
        var token = await db.ApiTokens.AdminWritableAsync(caller, id, Kind, write, ct);
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

        var spec = await ValidateAsync(request, write.Errors, now, ct);
        await db.ChangeAsync(token, token.ToRequest(), spec, t => Apply(t, spec), now, ct);
        return token.Versioned(token.ToResponse());
    }

    public async Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct)
    {
        var token = await db.ApiTokens.AdminWritableAsync(caller, id, Kind, write, ct);
        db.ApiTokens.Remove(token);
        await db.SaveAsync(Affected.None, ct);
    }

    private static void Apply(ApiToken token, TokenRequest spec)
    {
        token.Name = spec.Name!;
        token.ExpiresAt = spec.ExpiresAt?.UtcDateTime;
    }

    private async Task<TokenRequest> ValidateAsync(TokenRequest request, ValidationErrors errors, DateTime now, CancellationToken ct)
    {
        var spec = request.Normalize(errors);
        if (spec.ProjectId is not null)
        {
            await db.Projects.ReferenceAsync(spec.ProjectId, errors, "projectId", "project", ct);
        }

        if (spec.ExpiresAt is { } expires && expires.UtcDateTime <= now)
        {
            errors.Add("expiresAt", "must be in the future.");
        }

        errors.ThrowIfAny();
        return spec;
    }
}
