using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// A cluster of nodes and the address policy an admin sets for it: the VIP ranges it hands out
/// (<see cref="VipPools"/>), the prefix lengths a VIP may carry (by default host routes only: /32 and /128; lengths
/// up to 32 are for IPv4 VIPs, longer ones for IPv6 VIPs), and
/// ranges where backends may be although their class is otherwise refused (loopback, link-local, the nodes' own
/// addresses), such as a lab whose backends run on the nodes.
/// </summary>
public sealed record ClusterRequest(
    string? Name,
    string? Description,
    VrrpSpec? Vrrp,
    IReadOnlyList<string>? VipPools,
    IReadOnlyList<int>? VipPrefixLengths = null,
    IReadOnlyList<string>? BackendAllowedRanges = null)
{
    public const int MaxVipPools = 64;
    public const int MaxBackendAllowedRanges = 64;

    public static readonly IReadOnlyList<int> DefaultVipPrefixLengths = [32, 128];

    public ClusterRequest Normalize(ValidationErrors errors)
    {
        if (Vrrp is null)
        {
            errors.Add("vrrp", "is required (at least vrrp.virtualRouterId).");
        }

        var pools = new List<string>();
        if (VipPools is { Count: > MaxVipPools })
        {
            errors.Add("vipPools", $"must hold at most {MaxVipPools} ranges.");
        }
        else
        {
            for (var i = 0; i < (VipPools?.Count ?? 0); i++)
            {
                if (VipPool.TryParse(VipPools![i], out var pool))
                {
                    if (AddressPolicy.PoolProblem(pool) is { } problem)
                    {
                        errors.Add($"vipPools[{i}]", problem);
                    }
                    else
                    {
                        pools.Add(pool.ToString());
                    }
                }
                else
                {
                    errors.Add($"vipPools[{i}]", "must be a CIDR block (198.18.10.0/24) or a range of addresses of one family (198.18.10.10-198.18.10.50).");
                }
            }
        }

        return new(
            Grammar.Name(errors, "name", Name),
            Grammar.Description(errors, "description", Description),
            Vrrp?.Normalize(errors, "vrrp"),
            pools,
            PrefixLengths(errors),
            AllowedRanges(errors));
    }

    private List<int> PrefixLengths(ValidationErrors errors)
    {
        if (VipPrefixLengths is null)
        {
            return [.. DefaultVipPrefixLengths];
        }

        for (var i = 0; i < VipPrefixLengths.Count; i++)
        {
            Grammar.Range(errors, $"vipPrefixLengths[{i}]", VipPrefixLengths[i], 1, 128);
        }

        return [.. VipPrefixLengths.Distinct().Order()];
    }

    private List<string> AllowedRanges(ValidationErrors errors)
    {
        var ranges = new List<string>();
        if (BackendAllowedRanges is { Count: > MaxBackendAllowedRanges })
        {
            errors.Add("backendAllowedRanges", $"must hold at most {MaxBackendAllowedRanges} ranges.");
            return ranges;
        }

        for (var i = 0; i < (BackendAllowedRanges?.Count ?? 0); i++)
        {
            if (Grammar.Cidr(errors, $"backendAllowedRanges[{i}]", BackendAllowedRanges![i]) is { } range)
            {
                ranges.Add(range.ToString());
            }
        }

        return ranges;
    }
}

public sealed record VrrpSpec(int? VirtualRouterId, int? AdvertIntervalMs, bool? Preempt, bool? Unicast)
{
    public const int DefaultAdvertIntervalMs = 200;

    public VrrpSpec Normalize(ValidationErrors errors, string path)
    {
        var advert = Grammar.Range(errors, $"{path}.advertIntervalMs", AdvertIntervalMs ?? DefaultAdvertIntervalMs, 10, 40_950);
        if (advert is not null && advert % 10 != 0)
        {
            // VRRPv3 carries the advertisement interval in centiseconds.
            errors.Add($"{path}.advertIntervalMs", "must be a multiple of 10 ms (VRRPv3 counts in centiseconds).");
        }

        return new(Grammar.Range(errors, $"{path}.virtualRouterId", VirtualRouterId, 1, 255, required: true), advert, Preempt ?? false, Unicast ?? true);
    }
}

/// <param name="Masters">
/// The online nodes that say they are MASTER. More than one is a split brain (<see cref="SplitBrain"/>): both answer
/// for the VIPs, typically because they cannot hear each other's adverts.
/// </param>
/// <param name="Failover">A manual failover under way; null when none is.</param>
public sealed record ClusterResponse(
    string Id,
    string Name,
    string Description,
    VrrpSpec Vrrp,
    IReadOnlyList<string> VipPools,
    IReadOnlyList<int> VipPrefixLengths,
    IReadOnlyList<string> BackendAllowedRanges,
    long Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string>? Masters = null,
    FailoverStatus? Failover = null)
{
    public bool SplitBrain => Masters is { Count: > 1 };
}

/// <summary>
/// <c>POST /api/v1/clusters/{id}/failover</c>: move the VIPs off the MASTER now, to <see cref="TargetNodeId"/> or,
/// without one, to the available node (online, BACKUP, not in maintenance) of highest priority: the one an election
/// would pick.
/// </summary>
public sealed record FailoverRequest(string? TargetNodeId);

/// <summary>
/// A manual failover under way: every node but <paramref name="TargetNodeId"/> stands aside until the target reports
/// MASTER (or FAULT, or the server's <c>Fulcrum:FailoverTimeout</c> passes); then they take part in VRRP again.
/// </summary>
/// <param name="FromNodeId">The MASTER when it was asked for.</param>
public sealed record FailoverStatus(string FromNodeId, string TargetNodeId, DateTimeOffset RequestedAt);
