using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.LoadBalancers;

/// <summary>Lookups shared by the resources that live inside a load balancer.</summary>
public static class LoadBalancerParts
{
    /// <summary>
    /// The parent named by a request body field, which the caller must be able to see (else the field is reported
    /// as naming nothing) and write to (else 403).
    /// </summary>
    public static async Task<T?> WritableParentAsync<T>(this IQueryable<T> query, Caller caller, string? id, ValidationErrors errors, string path, string kind, CancellationToken ct)
        where T : Resource, IProjectScoped
    {
        var parent = await caller.Visible(query).ReferenceAsync(id, errors, path, kind, ct);
        if (parent is not null)
        {
            caller.RequireWriter();
        }

        return parent;
    }

    /// <summary>A backend group named in a body field, which must belong to <paramref name="loadBalancerId"/>.</summary>
    public static async Task CheckBackendGroupAsync(this FulcrumDbContext db, string? groupId, string loadBalancerId, ValidationErrors errors, string path, CancellationToken ct)
    {
        if (groupId is not null && !await db.BackendGroups.AnyAsync(g => g.Id == groupId && g.LoadBalancerId == loadBalancerId, ct))
        {
            errors.Add(path, $"must be a backend group of load balancer '{loadBalancerId}'.");
        }
    }
}
