using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Auth;

/// <summary>
/// Bearer tokens: the configured bootstrap admin token (compared in constant time, never stored), an API token, or a
/// node credential (<see cref="NodeCaller"/>); tokens and credentials are found by the SHA-256 of their secret.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    FulcrumDbContext db,
    BootstrapAdminToken bootstrap,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>Last-used times are written at most this often, not on every request.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > 256)
        {
            return AuthenticateResult.Fail("Malformed bearer token.");
        }

        if (bootstrap.Matches(secret))
        {
            return Success("bootstrap-admin", Role.Admin, null);
        }

        var hash = Ids.Hash(secret);
        if (NodeCaller.IsCredential(secret))
        {
            // A removed node's credential matches nothing any more.
            var node = await db.Nodes.AsNoTracking().Where(n => n.CredentialHash == hash)
                .Select(n => new { n.Id, n.ClusterId }).SingleOrDefaultAsync(Context.RequestAborted);
            return node is null ? AuthenticateResult.Fail("Unknown node credential.") : NodeSuccess(node.Id, node.ClusterId);
        }

        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.SecretHash == hash, Context.RequestAborted);
        var now = time.UtcDateTime();
        if (token is null || (token.ExpiresAt is { } expires && expires.AsUtc() <= now))
        {
            return AuthenticateResult.Fail("Unknown or expired token.");
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt.Value.AsUtc() > LastUsedResolution)
        {
            await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        return Success(token.Id, token.Role, token.ProjectId);
    }

    private static AuthenticateResult Success(string tokenId, Role role, string? projectId)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, tokenId), new(Caller.RoleClaim, role.ToString()) };
        if (projectId is not null)
        {
            claims.Add(new Claim(Caller.ProjectClaim, projectId));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private static AuthenticateResult NodeSuccess(string nodeId, string clusterId)
    {
        Claim[] claims = [new(ClaimTypes.NameIdentifier, nodeId), new(NodeCaller.NodeClaim, nodeId), new(NodeCaller.ClusterClaim, clusterId)];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}

/// <summary>The admin token given by configuration (<c>FULCRUM_ADMIN_TOKEN</c>), held only as its hash.</summary>
public sealed class BootstrapAdminToken
{
    private readonly byte[]? _hash;

    public BootstrapAdminToken(IConfiguration configuration)
    {
        var token = configuration["FULCRUM_ADMIN_TOKEN"];
        _hash = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public bool IsConfigured => _hash is not null;

    public bool Matches(string secret) =>
        _hash is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
