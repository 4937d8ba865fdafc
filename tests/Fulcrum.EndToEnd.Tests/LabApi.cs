using System.Net.Http.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>The API calls the lab's tests make, and waits for what the API reports: generous deadlines, never a timing assertion.</summary>
public static class LabApi
{
    /// <summary>How long a wait on the API gives the lab: generous, never a timing assertion.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Task<BackendResponse> CreateBackendAsync(
        this LabDeployment lab, BackendGroupResponse group, LabHost host, int port, int weight = 1, bool backup = false, BackendAdminState adminState = BackendAdminState.Enabled) =>
        lab.CreateAsync<BackendResponse>("backends", new BackendRequest(group.Id, NameOf(host), host.Address, port, weight, backup, adminState));

    /// <summary>The name the lab gave a host (<c>be1</c>): its namespace's last part.</summary>
    public static string NameOf(LabHost host) => host.Namespace[(host.Namespace.LastIndexOf('-') + 1)..];

    public static async Task<T> UpdateAsync<T>(this LabDeployment lab, string path, object body)
    {
        using var response = await lab.Admin.PutAsJsonAsync(path, body, FulcrumJson.Options);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(FulcrumJson.Options))!;
    }

    /// <summary>Waits until every online node applied the load balancer's last change.</summary>
    public static Task WaitUntilActiveAsync(this LabDeployment lab, LoadBalancerResponse lb) =>
        Eventually.TrueAsync(
            async () => (await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).ProvisioningStatus == ProvisioningStatus.Active,
            Deadline,
            () => $"load balancer {lb.Name} never became ACTIVE");

    public static Task WaitForHealthAsync(this LabDeployment lab, BackendResponse backend, BackendHealth health) =>
        Eventually.TrueAsync(
            async () => (await lab.GetAsync<BackendResponse>($"backends/{backend.Id}")).Health == health,
            Deadline,
            () => $"backend {backend.Name} ({backend.Address}:{backend.Port}) was never reported {health}");

    public static Task WaitForOperatingStatusAsync(this LabDeployment lab, LoadBalancerResponse lb, OperatingStatus status) =>
        Eventually.TrueAsync(
            async () => (await lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).OperatingStatus == status,
            Deadline,
            () => $"load balancer {lb.Name} never showed operatingStatus {status}");

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

    /// <summary>Whether every node reports the cluster's current revision as applied.</summary>
    public static async Task<bool> NodesCaughtUpAsync(this LabDeployment lab)
    {
        var revision = await lab.RevisionAsync();
        return (await lab.NodesAsync()).All(n => n.AppliedRevision == revision && n.LastError is null);
    }
}
