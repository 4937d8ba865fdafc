using System.Net;

namespace Fulcrum.Core.Validation;

/// <summary>
/// What a tenant may point the data plane at. A VIP is a unicast address a client can reach: never unspecified,
/// loopback, link-local (where keepalived's advert anchor 169.254.1.x and cloud metadata live), multicast (VRRP's own
/// 224.0.0.18 and ff02::12), broadcast or reserved, nor an IPv4-mapped IPv6 address. A backend is neither
/// unspecified, multicast, broadcast nor IPv4-mapped; it is not loopback or link-local (the node's own services, the
/// metadata service) unless the cluster's admin allows a range for it. The API and the renderers apply the same
/// policy, the renderers as a second line of defence.
/// </summary>
public static class AddressPolicy
{
    private static readonly AddressClass[] Classes =
    [
        new("unspecified", AllowableForBackends: false, "0.0.0.0-0.255.255.255", "::-::"),
        new("loopback", AllowableForBackends: true, "127.0.0.0-127.255.255.255", "::1-::1"),
        new("link-local", AllowableForBackends: true, "169.254.0.0-169.254.255.255", "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        new("multicast", AllowableForBackends: false, "224.0.0.0-239.255.255.255", "ff00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        new("broadcast or reserved", AllowableForBackends: false, "240.0.0.0-255.255.255.255"),
        new("IPv4-mapped IPv6", AllowableForBackends: false, "::ffff:0.0.0.0-::ffff:255.255.255.255"),
    ];

    /// <summary>Why <paramref name="address"/> can never be a VIP; null when its class is fine.</summary>
    public static string? VipProblem(IPAddress address) =>
        ClassOf(address) is { } found ? $"is a {found.Name} address ({found.Text}): a VIP must be a unicast address clients can reach." : null;

    /// <summary>Why <paramref name="pool"/> cannot hand out VIPs: it reaches into a class no VIP may be in.</summary>
    public static string? PoolProblem(VipPool pool) =>
        Classes.FirstOrDefault(c => c.Ranges.Any(range => range.Overlaps(pool))) is { } found
            ? $"reaches into {found.Name} addresses ({found.Text}), which cannot be VIPs."
            : null;

    /// <summary>
    /// Why <paramref name="address"/> cannot be a backend: its class, or being one of <paramref name="nodeAddresses"/>
    /// (the cluster's own nodes); loopback, link-local and node addresses inside <paramref name="allowed"/> are fine.
    /// </summary>
    public static string? BackendProblem(IPAddress address, IEnumerable<IPNetwork> allowed, IEnumerable<IPAddress> nodeAddresses)
    {
        var found = ClassOf(address);
        if (found is { AllowableForBackends: false })
        {
            return $"is a {found.Name} address ({found.Text}), which cannot be a backend.";
        }

        var isNode = nodeAddresses.Contains(address);
        if ((found is not null || isNode) && allowed.Any(range => range.Contains(address)))
        {
            return null;
        }

        return found is not null
            ? $"is a {found.Name} address ({found.Text}), which cannot be a backend unless an admin allows it in the cluster's backendAllowedRanges."
            : isNode
                ? "is the address of a node of the cluster, which cannot be a backend unless an admin allows it in the cluster's backendAllowedRanges."
                : null;
    }

    private static AddressClass? ClassOf(IPAddress address) =>
        Classes.FirstOrDefault(c => c.Ranges.Any(range => range.Contains(address)));

    private sealed record AddressClass(string Name, bool AllowableForBackends, params string[] Texts)
    {
        public VipPool[] Ranges { get; } = [.. Texts.Select(text => VipPool.TryParse(text, out var range) ? range : throw new InvalidOperationException(text))];

        public string Text => string.Join(", ", Texts);
    }
}
