using System.Net.Http.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// One lab — server, two nodes, three backends, a client and a second client — shared by the tests of one class: it
/// takes seconds to build. Each test makes its own load balancer (its own VIP) and groups, so they do not meet. Every
/// class gets its own subnet, since labs on one subnet would break each other.
/// </summary>
public abstract class LabFixture(int subnet) : IAsyncLifetime
{
    public LabDeployment Lab { get; private set; } = null!;

    /// <summary>Sockets in the lab's client namespace.</summary>
    public NamespaceSockets Client { get; private set; } = null!;

    /// <summary>A second client host, with an address of its own.</summary>
    public LabHost SecondClientHost { get; private set; } = null!;

    public NamespaceSockets SecondClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Lab = await LabDeployment.StartAsync(Programs.ForLab, subnet);
        try
        {
            Client = new NamespaceSockets(Lab.Client.Namespace);
            SecondClientHost = await Lab.Network.AddHostAsync("client2");
            SecondClient = new NamespaceSockets(SecondClientHost.Namespace);
            await Eventually.TrueAsync(
                async () => (await Lab.NodesAsync()).All(n => n.Online),
                TimeSpan.FromSeconds(60),
                () => $"the nodes never came online:\n{Lab.Network.Logs()}");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        SecondClient?.Dispose();
        if (Lab is { } lab)
        {
            Lab = null!;
            await lab.DisposeAsync();
        }
    }
}

/// <summary>The control plane's API as the tests use it, and what the nodes report through it.</summary>
public static class LabApi
{
    public static async Task<LoadBalancerResponse> CreateLoadBalancerAsync(this LabDeployment lab, string name) =>
        await lab.CreateAsync<LoadBalancerResponse>("load-balancers", new { projectId = lab.Project.Id, clusterId = lab.Cluster.Id, name });

    public static async Task<BackendGroupResponse> CreateGroupAsync(this LabDeployment lab, LoadBalancerResponse lb, string name) =>
        await lab.CreateAsync<BackendGroupResponse>("backend-groups", new { loadBalancerId = lb.Id, name });

    /// <summary>One backend per lab backend host (be1, be2, be3 in that order), on the given port.</summary>
    public static async Task<List<BackendResponse>> AddBackendsAsync(this LabDeployment lab, BackendGroupResponse group, int port)
    {
        var backends = new List<BackendResponse>();
        foreach (var host in lab.Backends)
        {
            backends.Add(await lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = group.Id, address = host.Address, port }));
        }

        return backends;
    }

    public static async Task<T> PutAsync<T>(this LabDeployment lab, string path, object body)
    {
        using var response = await lab.Admin.PutAsJsonAsync(path, body, FulcrumJson.Options);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(FulcrumJson.Options))!;
    }

    public static async Task<IReadOnlyList<NodeResponse>> NodesAsync(this LabDeployment lab) =>
        (await lab.GetAsync<Page<NodeResponse>>($"nodes?clusterId={lab.Cluster.Id}")).Items;

    public static async Task<long> RevisionAsync(this LabDeployment lab) =>
        (await lab.GetAsync<ClusterResponse>($"clusters/{lab.Cluster.Id}")).Revision;

    /// <summary>Whether every node reports the cluster's current revision as applied.</summary>
    public static async Task<bool> NodesCaughtUpAsync(this LabDeployment lab)
    {
        var revision = await lab.RevisionAsync();
        return (await lab.NodesAsync()).All(n => n.AppliedRevision == revision && n.LastError is null);
    }

    /// <summary>Every node online and caught up, and exactly one of them holding the VIPs.</summary>
    public static async Task<bool> SettledAsync(this LabDeployment lab)
    {
        var nodes = await lab.NodesAsync();
        return nodes.All(n => n.Online) && nodes.Count(n => n.VrrpState == VrrpState.Master) == 1 && await lab.NodesCaughtUpAsync();
    }
}
