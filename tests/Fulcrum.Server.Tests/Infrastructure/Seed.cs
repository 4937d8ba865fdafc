using Fulcrum.Core.Api;

namespace Fulcrum.Server.Tests.Infrastructure;

/// <summary>Makes the resources a test needs through the API, each with fresh names and a router id of its own.</summary>
public sealed class Seed(ApiClient admin)
{
    private static int s_routerId;

    /// <summary>Virtual router ids are unique per database; the fixture's database lives for one test class.</summary>
    public static int NextRouterId() => (Interlocked.Increment(ref s_routerId) % 255) + 1;

    public Task<ProjectResponse> ProjectAsync(string name = "tenant") => admin.CreateAsync<ProjectResponse>("projects", new { name });

    public Task<ClusterResponse> ClusterAsync(params string[] vipPools) =>
        admin.CreateAsync<ClusterResponse>("clusters", new { name = "cluster", vrrp = new { virtualRouterId = NextRouterId() }, vipPools });

    public Task<LoadBalancerResponse> LoadBalancerAsync(ProjectResponse project, ClusterResponse cluster, string? vip = null) =>
        admin.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = project.Id, clusterId = cluster.Id, name = "lb", vip });

    public Task<BackendGroupResponse> BackendGroupAsync(LoadBalancerResponse lb) =>
        admin.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name = "group" });

    public Task<BackendResponse> BackendAsync(BackendGroupResponse group, string address = "198.18.1.10", int port = 8080) =>
        admin.CreateAsync<BackendResponse>("backends", new { backendGroupId = group.Id, address, port });

    public Task<ListenerResponse> ListenerAsync(LoadBalancerResponse lb, string protocol = "http", int port = 80, string? defaultBackendGroupId = null) =>
        admin.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "listener", protocol, port, defaultBackendGroupId });

    public Task<AclResponse> AclAsync(ProjectResponse project, params string[] cidrs) =>
        admin.CreateAsync<AclResponse>("acls", new { projectId = project.Id, name = "acl", entries = cidrs.Select(cidr => new { cidr }) });

    public async Task<string> TokenAsync(Role role, string? projectId)
    {
        var token = await admin.CreateAsync<TokenResponse>("tokens", new { name = "test", role, projectId });
        return token.Secret!;
    }

    /// <summary>A whole load balancer: an http listener on port 80 over a group with two backends.</summary>
    public async Task<Tree> TreeAsync(ProjectResponse project, ClusterResponse cluster, string? vip = null)
    {
        var lb = await LoadBalancerAsync(project, cluster, vip);
        var group = await BackendGroupAsync(lb);
        var backends = new[] { await BackendAsync(group, "198.18.1.10"), await BackendAsync(group, "198.18.1.11") };
        var listener = await ListenerAsync(lb, defaultBackendGroupId: group.Id);
        return new Tree(lb, group, backends, listener);
    }

    public async Task<long> RevisionAsync(string clusterId) => (await admin.GetAsync<ClusterResponse>($"clusters/{clusterId}")).Revision;
}

public sealed record Tree(LoadBalancerResponse LoadBalancer, BackendGroupResponse Group, BackendResponse[] Backends, ListenerResponse Listener);
