using System.Net;
using Fulcrum.Core.Snapshots;
using Fulcrum.Core.Validation;

namespace Fulcrum.Dataplane;

/// <summary>
/// The API's address policy again, on what reaches a node: a snapshot whose VIP or backend the policy refuses (the
/// node's loopback, the metadata service, a multicast group, a node's own address) is refused whole, whatever wrote
/// it into the database. Values that are not addresses at all are left to each renderer's own checks.
/// </summary>
internal static class SnapshotAddresses
{
    public static void Check(ClusterSnapshot snapshot)
    {
        var errors = new ValidationErrors();
        var nodes = (snapshot.Nodes ?? []).Select(node => IPAddress.TryParse(node?.Address, out var address) ? address : null).OfType<IPAddress>().ToList();
        var allowed = new List<IPNetwork>();
        var ranges = snapshot.BackendAllowedRanges ?? [];
        for (var i = 0; i < ranges.Count; i++)
        {
            if (IPNetwork.TryParse(ranges[i], out var range))
            {
                allowed.Add(range);
            }
            else
            {
                errors.Add($"backendAllowedRanges[{i}]", "must be a CIDR block.");
            }
        }

        var loadBalancers = snapshot.LoadBalancers ?? [];
        for (var i = 0; i < loadBalancers.Count; i++)
        {
            if (loadBalancers[i] is not { } loadBalancer)
            {
                continue;
            }

            if (IPAddress.TryParse(loadBalancer.Vip, out var vip))
            {
                if ((AddressPolicy.VipProblem(vip) ?? (nodes.Contains(vip) ? "is the address of a node: a VIP must be an address of its own." : null)) is { } problem)
                {
                    errors.Add($"loadBalancers[{i}].vip", problem);
                }
            }

            CheckBackends(errors, $"loadBalancers[{i}]", loadBalancer, allowed, nodes);
        }

        if (!errors.IsEmpty)
        {
            throw new RenderRefusedException(errors);
        }
    }

    private static void CheckBackends(ValidationErrors errors, string path, SnapshotLoadBalancer loadBalancer, List<IPNetwork> allowed, List<IPAddress> nodes)
    {
        var groups = loadBalancer.BackendGroups ?? [];
        for (var j = 0; j < groups.Count; j++)
        {
            var backends = groups[j]?.Backends ?? [];
            for (var k = 0; k < backends.Count; k++)
            {
                if (IPAddress.TryParse(backends[k]?.Address, out var address) && AddressPolicy.BackendProblem(address, allowed, nodes) is { } problem)
                {
                    errors.Add($"{path}.backendGroups[{j}].backends[{k}].address", problem);
                }
            }
        }
    }
}
