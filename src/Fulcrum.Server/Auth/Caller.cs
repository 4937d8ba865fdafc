using System.Reflection;
using System.Security.Claims;
using Fulcrum.Core.Api;
using Fulcrum.Server.Http;

namespace Fulcrum.Server.Auth;

/// <summary>Something that belongs to one project: load balancers and everything in them, certificates, ACLs.</summary>
public interface IProjectScoped
{
    string ProjectId { get; }
}

/// <summary>
/// Who is calling, from their token. Objects of a project the caller cannot see are answered with 404, never 403,
/// so that ids of other tenants cannot be probed.
/// </summary>
public sealed record Caller(string TokenId, Role Role, string? ProjectId)
{
    public const string RoleClaim = "fulcrum:role";
    public const string ProjectClaim = "fulcrum:project";

    public bool IsAdmin => Role == Role.Admin;

    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<Caller?>(From(context.User));

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The endpoint must require authorization."),
        Enum.Parse<Role>(user.FindFirstValue(RoleClaim)!),
        user.FindFirstValue(ProjectClaim));

    public bool CanSee(string projectId) => IsAdmin || ProjectId == projectId;

    public IQueryable<T> Visible<T>(IQueryable<T> query)
        where T : IProjectScoped =>
        IsAdmin ? query : query.Where(item => item.ProjectId == ProjectId);

    public void RequireAdmin()
    {
        if (!IsAdmin)
        {
            throw ProblemException.Forbidden("This needs an admin token.");
        }
    }

    /// <summary>For a project the caller can already see: viewers may read, not write.</summary>
    public void RequireWriter()
    {
        if (Role == Role.Viewer)
        {
            throw ProblemException.Forbidden("A viewer token can only read.");
        }
    }
}
