using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// A virtual IP with its listeners. Without <see cref="Vip"/> the cluster's VIP pools provide the next free address
/// (on update, an omitted VIP keeps the current one). <see cref="ProjectId"/> and <see cref="ClusterId"/> are fixed
/// once the load balancer exists.
/// </summary>
public sealed record LoadBalancerRequest(
    string? ProjectId,
    string? ClusterId,
    string? Name,
    string? Description,
    string? Vip,
    int? VipPrefixLength,
    bool? Enabled)
{
    public LoadBalancerRequest Normalize(ValidationErrors errors)
    {
        var vip = Grammar.IpAddress(errors, "vip", Vip, required: false);
        // Without a VIP the family is known only once the pool gives one; the server checks the prefix then.
        var maxPrefix = vip?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return new(
            Grammar.Required(errors, "projectId", ProjectId),
            Grammar.Required(errors, "clusterId", ClusterId),
            Grammar.Name(errors, "name", Name),
            Grammar.Description(errors, "description", Description),
            vip?.ToString(),
            Grammar.Range(errors, "vipPrefixLength", VipPrefixLength, 1, maxPrefix),
            Enabled ?? true);
    }
}

public sealed record LoadBalancerResponse(
    string Id,
    string ProjectId,
    string ClusterId,
    string Name,
    string Description,
    string Vip,
    int VipPrefixLength,
    bool Enabled,
    ProvisioningStatus ProvisioningStatus,
    OperatingStatus OperatingStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Error = null);
