using System.Security.Claims;
using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Console.Shell;

/// <summary>
/// The console's sessions: a token is checked once at sign-in and the cookie then holds who it is (token id, role,
/// project), never its secret. A session lasts only as long as its token: it is checked again on every page load and,
/// on a live connection, every <see cref="RevalidationInterval"/>.
/// </summary>
public sealed class ConsoleSessions(FulcrumDbContext db, BootstrapAdminToken bootstrap, TimeProvider time)
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "fulcrum-console";
    public const string BootstrapTokenId = "bootstrap-admin";

    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(30);

    /// <summary>The session for <paramref name="secret"/>, or null when it is no API token (unknown, expired, a node credential).</summary>
    public async Task<ClaimsPrincipal?> SignInAsync(string? secret, CancellationToken ct)
    {
        secret = secret?.Trim();
        if (string.IsNullOrEmpty(secret) || secret.Length > 256 || NodeCaller.IsCredential(secret))
        {
            return null;
        }

        if (bootstrap.Matches(secret))
        {
            return Principal(BootstrapTokenId, Role.Admin, null);
        }

        var hash = Ids.Hash(secret);
        var now = time.UtcDateTime();
        var token = await db.ApiTokens.AsNoTracking().Where(t => t.SecretHash == hash)
            .Select(t => new { t.Id, t.Role, t.ProjectId, t.ExpiresAt }).SingleOrDefaultAsync(ct);
        return token is null || token.ExpiresAt is { } expires && expires.AsUtc() <= now ? null : Principal(token.Id, token.Role, token.ProjectId);
    }

    /// <summary>False once the session's token is revoked or expired (or, for the bootstrap admin, no longer configured).</summary>
    public async Task<bool> IsValidAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var tokenId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (tokenId is null)
        {
            return false;
        }

        if (tokenId == BootstrapTokenId)
        {
            return bootstrap.IsConfigured;
        }

        var token = await db.ApiTokens.AsNoTracking().Where(t => t.Id == tokenId).Select(t => new { t.ExpiresAt }).SingleOrDefaultAsync(ct);
        return token is not null && (token.ExpiresAt is not { } expires || expires.AsUtc() > time.UtcDateTime());
    }

    private static ClaimsPrincipal Principal(string tokenId, Role role, string? projectId)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, tokenId), new(Caller.RoleClaim, role.ToString()) };
        if (projectId is not null)
        {
            claims.Add(new Claim(Caller.ProjectClaim, projectId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }
}
