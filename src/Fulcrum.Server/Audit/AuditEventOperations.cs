using System.Globalization;
using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Audit;

/// <param name="Since">An instant (ISO 8601 with an offset, or UTC); events at or after it.</param>
/// <param name="Until">An instant; events before it.</param>
/// <param name="ClusterId">Events of the cluster and of everything in it (nodes, join tokens, load balancers and their parts).</param>
/// <param name="LoadBalancerId">Events of the load balancer and of everything in it.</param>
public sealed record AuditEventFilter(
    string? ProjectId, string? ClusterId, string? LoadBalancerId, string? ResourceType, string? ResourceId, string? Since, string? Until);

/// <summary>Reading the audit log: admins see every event, a project's members and viewers their project's only.</summary>
public sealed class AuditEventOperations(FulcrumDbContext db)
{
    /// <summary>Newest first: an activity log is read from the latest change back.</summary>
    public async Task<Page<AuditEventResponse>> ListAsync(Caller caller, AuditEventFilter filter, int? offset, int? limit, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (filter.ResourceType is { } type && !AuditResources.All.Contains(type, StringComparer.Ordinal))
        {
            errors.Add("resourceType", $"must be one of {string.Join(", ", AuditResources.All)}.");
        }

        var since = Instant(errors, "since", filter.Since);
        var until = Instant(errors, "until", filter.Until);
        if (since is not null && until is not null && until <= since)
        {
            errors.Add("until", "must be later than since.");
        }

        var query = db.AuditEvents.AsNoTracking();
        if (!caller.IsAdmin)
        {
            query = query.Where(e => e.ProjectId == caller.ProjectId);
        }

        query = query.Where(e =>
            (filter.ProjectId == null || e.ProjectId == filter.ProjectId)
            && (filter.ClusterId == null || e.ClusterId == filter.ClusterId)
            && (filter.LoadBalancerId == null || e.LoadBalancerId == filter.LoadBalancerId)
            && (filter.ResourceType == null || e.ResourceType == filter.ResourceType)
            && (filter.ResourceId == null || e.ResourceId == filter.ResourceId)
            && (since == null || e.CreatedAt >= since)
            && (until == null || e.CreatedAt < until));
        return await query.PageAsync(offset, limit, e => e.ToResponse(), ct, q => q.OrderByDescending(e => e.CreatedAt), errors);
    }

    private static DateTime? Instant(ValidationErrors errors, string path, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant.UtcDateTime;
        }

        errors.Add(path, "must be an instant in ISO 8601, such as 2026-12-01T10:00:00Z.");
        return null;
    }
}
