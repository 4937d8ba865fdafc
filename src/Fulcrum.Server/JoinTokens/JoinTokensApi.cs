using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.JoinTokens;

/// <summary>Join tokens enrol nodes into a cluster. DELETE revokes: the token stays listed, with its revocation time.</summary>
public static class JoinTokensApi
{
    private const string Kind = "join token";

    public static void MapJoinTokensApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/join-tokens").WithTags("Join tokens");
        group.MapPost("/", CreateAsync).Accepts<JoinTokenRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapDelete("/{id}", RevokeAsync);
    }

    private static async Task<Created<JoinTokenResponse>> CreateAsync(Body<JoinTokenRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var spec = body.Value.Normalize(body.Errors);
        await db.Clusters.ReferenceAsync(spec.ClusterId, body.Errors, "clusterId", "cluster", ct);
        body.Errors.ThrowIfAny();

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
        return http.WithETag(token, TypedResults.Created($"/api/v1/join-tokens/{token.Id}", token.ToResponse(secret)));
    }

    private static async Task<Ok<Page<JoinTokenResponse>>> ListAsync(Caller caller, FulcrumDbContext db, string? clusterId, int? offset, int? limit, CancellationToken ct)
    {
        caller.RequireAdmin();
        var query = db.JoinTokens.AsNoTracking().Where(t => clusterId == null || t.ClusterId == clusterId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, t => t.ToResponse(), ct));
    }

    private static async Task<Ok<JoinTokenResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var token = await db.JoinTokens.AsNoTracking().ByIdAsync(id, Kind, ct);
        return http.WithETag(token, TypedResults.Ok(token.ToResponse()));
    }

    private static async Task<NoContent> RevokeAsync(string id, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var token = await db.JoinTokens.ByIdAsync(id, Kind, ct);
        ETags.CheckIfMatch(http, token);
        if (token.RevokedAt is null)
        {
            var now = time.UtcDateTime();
            token.RevokedAt = now;
            token.Touch(now);
            await db.SaveAsync(Affected.None, ct);
        }

        return TypedResults.NoContent();
    }
}
