using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Fulcrum.Core.Validation;

/// <summary>
/// A range of virtual IPs a cluster hands out, written as a CIDR block or as <c>first-last</c>. The network and
/// broadcast addresses of an IPv4 block are never handed out.
/// </summary>
public readonly record struct VipPool(IPAddress First, IPAddress Last, string Text)
{
    public AddressFamily Family => First.AddressFamily;

    public override string ToString() => Text;

    public bool Contains(IPAddress address) =>
        address.AddressFamily == Family && ToNumber(address) >= ToNumber(First) && ToNumber(address) <= ToNumber(Last);

    public bool Overlaps(VipPool other) =>
        other.Family == Family && ToNumber(other.First) <= ToNumber(Last) && ToNumber(First) <= ToNumber(other.Last);

    /// <summary>The addresses of the pool in order; lazily, since an IPv6 pool is practically endless.</summary>
    public IEnumerable<IPAddress> Addresses()
    {
        var last = ToNumber(Last);
        for (var n = ToNumber(First); n <= last; n++)
        {
            yield return FromNumber(n, Family);
            if (n == UInt128.MaxValue)
            {
                yield break;
            }
        }
    }

    public static bool TryParse(string? text, out VipPool pool)
    {
        pool = default;
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return false;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (!Grammar.TryParseIp(text[..dash], out var first) || !Grammar.TryParseIp(text[(dash + 1)..], out var last)
                || first.AddressFamily != last.AddressFamily || ToNumber(first) > ToNumber(last))
            {
                return false;
            }

            pool = new VipPool(first, last, $"{first}-{last}");
            return true;
        }

        if (!text.Contains('/', StringComparison.Ordinal) || !Grammar.TryParseCidr(text, out var network))
        {
            return false;
        }

        var bits = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var start = ToNumber(network.BaseAddress);
        var size = network.PrefixLength == 0 ? UInt128.MaxValue : (UInt128.One << (bits - network.PrefixLength)) - 1;
        var end = bits == 32 ? start + (size & uint.MaxValue) : start + size;
        if (bits == 32 && network.PrefixLength < 31)
        {
            start++;
            end--;
        }

        pool = new VipPool(FromNumber(start, network.BaseAddress.AddressFamily), FromNumber(end, network.BaseAddress.AddressFamily), network.ToString());
        return true;
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static IPAddress FromNumber(UInt128 number, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            var v4 = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)number);
            return new IPAddress(v4);
        }

        var v6 = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, number);
        return new IPAddress(v6);
    }
}
