using Fulcrum.Core.Api;
using Fulcrum.Server.Acls;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Certificates;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.LoadBalancers;

namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>A backend group with its backends, as the load balancer's page shows it.</summary>
public sealed record GroupView(BackendGroupResponse Group, IReadOnlyList<BackendResponse> Backends);

/// <summary>Everything a load balancer's page shows.</summary>
public sealed record LoadBalancerView(
    LoadBalancerResponse LoadBalancer,
    string ClusterName,
    LoadBalancerProgress Progress,
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
/// What the console's load balancer pages read, through the REST API's own operations: a load balancer of another
/// project is not found, and a tenant sees how many nodes applied a change, never the nodes themselves.
/// </summary>
public sealed class LoadBalancerReads(
    LoadBalancerOperations loadBalancers,
    LoadBalancerTreeOperations trees,
    ClusterOperations clusters,
    ListenerOperations listeners,
    CertificateOperations certificates,
    AclOperations acls)
{
    public async Task<IReadOnlyList<LoadBalancerResponse>> ListAsync(Caller caller, string? projectId, CancellationToken ct) =>
        [.. (await loadBalancers.ListAsync(caller, projectId, null, 0, Paging.MaxLimit, ct)).Items.OrderBy(lb => lb.Name, StringComparer.Ordinal)];

    public async Task<LoadBalancerView> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var (tree, progress) = await trees.ReadWithProgressAsync(caller, id, ct);
        var cluster = await clusters.GetAsync(caller, tree.LoadBalancer.ClusterId, ct);
        return new LoadBalancerView(
            tree.LoadBalancer,
            cluster.Value.Name,
            progress,
            [.. tree.Listeners.Select(l => l.Listener)],
            tree.Listeners.SelectMany(l => l.Rules).ToLookup(r => r.ListenerId),
            [.. tree.BackendGroups.OrderBy(g => g.BackendGroup.Name, StringComparer.Ordinal)
                .Select(g => new GroupView(g.BackendGroup, [.. g.Backends.OrderBy(b => b.Address, StringComparer.Ordinal).ThenBy(b => b.Port)]))]);
    }

    /// <summary>The project's certificates, with the listeners (as "load balancer / listener") presenting each.</summary>
    public async Task<(IReadOnlyList<CertificateResponse> Certificates, IReadOnlyDictionary<string, IReadOnlyList<string>> UsedBy)> CertificatesAsync(
        Caller caller, string? projectId, CancellationToken ct)
    {
        var all = (await certificates.ListAsync(caller, projectId, 0, Paging.MaxLimit, ct)).Items.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var names = (await loadBalancers.ListAsync(caller, projectId, null, 0, Paging.MaxLimit, ct)).Items.ToDictionary(lb => lb.Id, lb => lb.Name, StringComparer.Ordinal);
        var https = (await listeners.ListAsync(caller, null, 0, Paging.MaxLimit, ct)).Items.Where(l => l.Protocol == ListenerProtocol.Https && names.ContainsKey(l.LoadBalancerId)).ToList();
        var usedBy = all.ToDictionary(
            c => c.Id,
            c => (IReadOnlyList<string>)[.. https.Where(l => l.Tls is { } tls && (tls.CertificateId == c.Id || (tls.SniCertificateIds ?? []).Contains(c.Id)))
                .Select(l => $"{names[l.LoadBalancerId]} / {l.Name}")],
            StringComparer.Ordinal);
        return (all, usedBy);
    }

    public async Task<IReadOnlyList<AclResponse>> AclsAsync(Caller caller, string? projectId, CancellationToken ct) =>
        [.. (await acls.ListAsync(caller, projectId, 0, Paging.MaxLimit, ct)).Items.OrderBy(a => a.Name, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<ClusterResponse>> ClustersAsync(Caller caller, CancellationToken ct) =>
        [.. (await clusters.ListAsync(caller, 0, Paging.MaxLimit, ct)).Items.OrderBy(c => c.Name, StringComparer.Ordinal)];
}
