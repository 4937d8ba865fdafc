using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

public sealed record ClusterRequest(string? Name, string? Description, VrrpSpec? Vrrp, IReadOnlyList<string>? VipPools)
{
    public const int MaxVipPools = 64;

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
                    pools.Add(pool.ToString());
                }
                else
                {
                    errors.Add($"vipPools[{i}]", "must be a CIDR block (198.18.10.0/24) or a range of addresses of one family (198.18.10.10-198.18.10.50).");
                }
            }
        }

        return new(Grammar.Name(errors, "name", Name), Grammar.Description(errors, "description", Description), Vrrp?.Normalize(errors, "vrrp"), pools);
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

public sealed record ClusterResponse(
    string Id,
    string Name,
    string Description,
    VrrpSpec Vrrp,
    IReadOnlyList<string> VipPools,
    long Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
