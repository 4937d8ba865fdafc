using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>A backend group with its backends, as the load balancer's page shows it.</summary>
public sealed record GroupView(BackendGroupResponse Group, IReadOnlyList<BackendResponse> Backends);

/// <summary>Everything a load balancer's page shows, read at once so that it is one consistent picture.</summary>
public sealed record LoadBalancerView(
    LoadBalancerResponse LoadBalancer,
    string ClusterName,
    long ClusterRevision,
    IReadOnlyList<NodeResponse> Nodes,
    IReadOnlyList<ListenerResponse> Listeners,
    ILookup<string, RuleResponse> RulesByListener,
    IReadOnlyList<GroupView> Groups)
{
    public DeletePlan DeletePlan() => new(
        LoadBalancer.Name,
        LoadBalancer.Vip,
        [.. Listeners.Select(l => $"{l.Name}:{l.Port}")],
        RulesByListener.Sum(g => g.Count()),
        [.. Groups.Select(g => (g.Group.Name, g.Backends.Count))]);
}

/// <summary>
/// What the console's load balancer pages read, seen as the REST API sees them: a load balancer of another project
/// is not found.
/// </summary>
public sealed class LoadBalancerReads(FulcrumDbContext db, LoadBalancerStatuses statuses, TimeProvider time, IOptions<FulcrumServerOptions> options)
{
    public async Task<IReadOnlyList<LoadBalancerResponse>> ListAsync(Caller caller, string? projectId, CancellationToken ct)
    {
        var loadBalancers = await caller.Visible(db.LoadBalancers.AsNoTracking())
            .Where(lb => projectId == null || lb.ProjectId == projectId)
            .OrderBy(lb => lb.Name)
            .ToListAsync(ct);
        var status = await statuses.ForAsync(loadBalancers, ct);
        return [.. loadBalancers.Select(lb => lb.ToResponse(status[lb.Id]))];
    }

    public async Task<LoadBalancerView> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var loadBalancer = await caller.Visible(db.LoadBalancers.AsNoTracking()).ByIdAsync(id, "load balancer", ct);
        var status = await statuses.ForAsync([loadBalancer], ct);
        var cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == loadBalancer.ClusterId, ct);
        var now = time.UtcDateTime();
        var nodes = (await db.Nodes.AsNoTracking().Where(n => n.ClusterId == cluster.Id).OrderByDescending(n => n.Priority).ToListAsync(ct))
            .Select(n => n.ToResponse(now, options.Value.NodeOfflineAfter))
            .ToList();
        var listeners = await db.Listeners.AsNoTracking().Where(l => l.LoadBalancerId == id).OrderBy(l => l.Port).ToListAsync(ct);
        var rules = await db.Rules.AsNoTracking().Where(r => r.LoadBalancerId == id).OrderBy(r => r.Position).ThenBy(r => r.CreatedAt).ToListAsync(ct);
        var groups = await db.BackendGroups.AsNoTracking().Where(g => g.LoadBalancerId == id).OrderBy(g => g.Name).ToListAsync(ct);
        var backends = (await db.Backends.AsNoTracking().Where(b => b.LoadBalancerId == id).OrderBy(b => b.Address).ThenBy(b => b.Port).ToListAsync(ct))
            .ToLookup(b => b.BackendGroupId);

        return new LoadBalancerView(
            loadBalancer.ToResponse(status[loadBalancer.Id]),
            cluster.Name,
            cluster.Revision,
            nodes,
            [.. listeners.Select(l => l.ToResponse())],
            rules.Select(r => r.ToResponse()).ToLookup(r => r.ListenerId),
            [.. groups.Select(g => new GroupView(g.ToResponse(), [.. backends[g.Id].Select(b => b.ToResponse())]))]);
    }

    /// <summary>The project's certificates, with the listeners (as "load balancer / listener") presenting each.</summary>
    public async Task<(IReadOnlyList<CertificateResponse> Certificates, IReadOnlyDictionary<string, IReadOnlyList<string>> UsedBy)> CertificatesAsync(
        Caller caller, string? projectId, CancellationToken ct)
    {
        var certificates = await caller.Visible(db.Certificates.AsNoTracking()).Where(c => projectId == null || c.ProjectId == projectId).OrderBy(c => c.Name).ToListAsync(ct);
        var https = await caller.Visible(db.Listeners.AsNoTracking()).Where(l => l.Protocol == ListenerProtocol.Https)
            .Join(db.LoadBalancers, l => l.LoadBalancerId, lb => lb.Id, (l, lb) => new { Listener = l, LoadBalancer = lb.Name })
            .ToListAsync(ct);
        var usedBy = certificates.ToDictionary(
            c => c.Id,
            c => (IReadOnlyList<string>)[.. https.Where(h => h.Listener.Tls is { } tls && (tls.CertificateId == c.Id || (tls.SniCertificateIds ?? []).Contains(c.Id)))
                .Select(h => $"{h.LoadBalancer} / {h.Listener.Name}")],
            StringComparer.Ordinal);
        return ([.. certificates.Select(c => c.ToResponse())], usedBy);
    }

    public async Task<IReadOnlyList<AclResponse>> AclsAsync(Caller caller, string? projectId, CancellationToken ct) =>
        [.. (await caller.Visible(db.Acls.AsNoTracking()).Where(a => projectId == null || a.ProjectId == projectId).OrderBy(a => a.Name).ToListAsync(ct)).Select(a => a.ToResponse())];

    public async Task<IReadOnlyList<ClusterResponse>> ClustersAsync(CancellationToken ct) =>
        [.. (await db.Clusters.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct)).Select(c => c.ToResponse())];
}
