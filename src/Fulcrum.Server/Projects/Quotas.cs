using Fulcrum.Core.Api;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Projects;

public enum Quota
{
    LoadBalancers,
    Listeners,
    Backends,
    Certificates,
    AclEntries,
}

/// <summary>
/// Per-project limits, checked before each creation: what a project holds plus what the request adds must stay
/// within the project's quota, else 403 "Quota exceeded" (as OpenStack Octavia answers). Checked per request, not
/// under a lock: requests racing for the last unit may each pass it.
/// </summary>
public static class Quotas
{
    public static async Task RequireRoomAsync(FulcrumDbContext db, string projectId, Quota quota, int adding, CancellationToken ct)
    {
        var limits = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => p.Quotas).SingleAsync(ct);
        var limit = Limit(limits, quota);
        var used = await UsedAsync(db, projectId, quota, ct);
        if (used + adding > limit)
        {
            var name = FieldOf(quota);
            throw new ProblemException(
                StatusCodes.Status403Forbidden,
                "Quota exceeded",
                $"Project '{projectId}' holds {used} of its quota of {limit} {name}; this request adds {adding}. Delete some, or ask an admin to raise quotas.{name}.");
        }
    }

    /// <summary>What the project holds of every quota.</summary>
    public static async Task<ProjectUsage> UsageAsync(FulcrumDbContext db, string projectId, CancellationToken ct) => new(
        await UsedAsync(db, projectId, Quota.LoadBalancers, ct),
        await UsedAsync(db, projectId, Quota.Listeners, ct),
        await UsedAsync(db, projectId, Quota.Backends, ct),
        await UsedAsync(db, projectId, Quota.Certificates, ct),
        await UsedAsync(db, projectId, Quota.AclEntries, ct));

    private static async Task<int> UsedAsync(FulcrumDbContext db, string projectId, Quota quota, CancellationToken ct) => quota switch
    {
        Quota.LoadBalancers => await db.LoadBalancers.CountAsync(lb => lb.ProjectId == projectId, ct),
        Quota.Listeners => await db.Listeners.CountAsync(l => l.ProjectId == projectId, ct),
        Quota.Backends => await db.Backends.CountAsync(b => b.ProjectId == projectId, ct),
        Quota.Certificates => await db.Certificates.CountAsync(c => c.ProjectId == projectId, ct),
        _ => (await db.Acls.AsNoTracking().Where(a => a.ProjectId == projectId).Select(a => a.Entries).ToListAsync(ct)).Sum(entries => entries.Count),
    };

    private static int Limit(ProjectQuotas quotas, Quota quota) => quota switch
    {
        Quota.LoadBalancers => quotas.LoadBalancers,
        Quota.Listeners => quotas.Listeners,
        Quota.Backends => quotas.Backends,
        Quota.Certificates => quotas.Certificates,
        _ => quotas.AclEntries,
    } ?? 0;

    private static string FieldOf(Quota quota) => quota switch
    {
        Quota.LoadBalancers => "loadBalancers",
        Quota.Listeners => "listeners",
        Quota.Backends => "backends",
        Quota.Certificates => "certificates",
        _ => "aclEntries",
    };
}
