using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Tokens;

/// <summary>API tokens are made and revoked by admins; the secret is shown once, in the answer that creates it.</summary>
public static class TokensApi
{
    private const string Kind = "token";

    public static void MapTokensApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Tokens");
        group.MapPost("/", CreateAsync).Accepts<TokenRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<TokenRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<TokenResponse>> CreateAsync(Body<TokenRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var now = time.UtcDateTime();
        var spec = await ValidateAsync(body, db, now, ct);

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
        return http.WithETag(token, TypedResults.Created($"/api/v1/tokens/{token.Id}", token.ToResponse(secret)));
    }

    private static async Task<Ok<Page<TokenResponse>>> ListAsync(Caller caller, FulcrumDbContext db, string? projectId, int? offset, int? limit, CancellationToken ct)
    {
        caller.RequireAdmin();
        var query = db.ApiTokens.AsNoTracking().Where(t => projectId == null || t.ProjectId == projectId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, t => t.ToResponse(), ct));
    }

    private static async Task<Ok<TokenResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var token = await db.ApiTokens.ByIdAsync(id, Kind, ct);
        return http.WithETag(token, TypedResults.Ok(token.ToResponse()));
    }

    private static async Task<Ok<TokenResponse>> UpdateAsync(string id, Body<TokenRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var token = await db.ApiTokens.ByIdAsync(id, Kind, ct);
        ETags.CheckIfMatch(http, token);
        var now = time.UtcDateTime();
        var request = body.Value with { Role = body.Value.Role ?? token.Role, ProjectId = body.Value.ProjectId ?? token.ProjectId };
        if (request.Role != token.Role)
        {
            body.Errors.Add("role", "cannot be changed; create a new token instead.");
        }

        if (request.ProjectId != token.ProjectId)
        {
            body.Errors.Add("projectId", "cannot be changed; create a new token instead.");
        }

        var spec = await ValidateAsync(new Body<TokenRequest>(request, body.Errors), db, now, ct);
        if (!Revisions.Same(token.ToRequest(), spec))
        {
            token.Name = spec.Name!;
            token.ExpiresAt = spec.ExpiresAt?.UtcDateTime;
            token.Touch(now);
            await db.SaveAsync(Affected.None, ct);
        }

        return http.WithETag(token, TypedResults.Ok(token.ToResponse()));
    }

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var token = await db.ApiTokens.ByIdAsync(id, Kind, ct);
        ETags.CheckIfMatch(http, token);
        db.ApiTokens.Remove(token);
        await db.SaveAsync(Affected.None, ct);
        return TypedResults.NoContent();
    }

    private static async Task<TokenRequest> ValidateAsync(Body<TokenRequest> body, FulcrumDbContext db, DateTime now, CancellationToken ct)
    {
        var spec = body.Value.Normalize(body.Errors);
        if (spec.ProjectId is not null)
        {
            await db.Projects.ReferenceAsync(spec.ProjectId, body.Errors, "projectId", "project", ct);
        }

        if (spec.ExpiresAt is { } expires && expires.UtcDateTime <= now)
        {
            body.Errors.Add("expiresAt", "must be in the future.");
        }

        body.Errors.ThrowIfAny();
        return spec;
    }
}
