using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Fulcrum.Lab.Backends;

/// <summary>
/// The PROXY protocol header a load balancer sends ahead of a connection's own bytes, version 1 (text) or 2 (binary),
/// as haproxy's <c>doc/proxy-protocol.txt</c> describes them. Only the header is read, never a byte of what follows.
/// </summary>
public static class ProxyProtocolHeader
{
    /// <summary>What a header without a client says: v1 <c>UNKNOWN</c>, v2 <c>LOCAL</c> (haproxy's own health checks).</summary>
    public const string Unknown = "unknown";

    private const int V1MaxLength = 107;
    private static readonly byte[] V1Start = "PROXY "u8.ToArray();
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>Reads the header; returns its version (1 or 2) and the client's address it carries, or <see cref="Unknown"/>.</summary>
    /// <exception cref="InvalidDataException">The connection does not start with a valid PROXY header.</exception>
    public static async Task<(int Version, string Source)> ReadAsync(Stream stream, CancellationToken ct)
    {
        var start = new byte[V1Start.Length];
        await stream.ReadExactlyAsync(start, ct);
        if (start.AsSpan().SequenceEqual(V1Start))
        {
            return (1, await ReadV1Async(stream, ct));
        }

        if (start.AsSpan().SequenceEqual(V2Signature.AsSpan(0, start.Length)))
        {
            return (2, await ReadV2Async(stream, ct));
        }

        throw new InvalidDataException("The connection does not start with a PROXY protocol header.");
    }

    /// <summary><c>PROXY TCP4 src dst sport dport\r\n</c> or <c>PROXY UNKNOWN …\r\n</c>, at most 107 bytes in all.</summary>
    private static async Task<string> ReadV1Async(Stream stream, CancellationToken ct)
    {
        var line = new List<byte>(V1MaxLength);
        var one = new byte[1];
        while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n')
        {
            if (V1Start.Length + line.Count >= V1MaxLength)
            {
                throw new InvalidDataException("The PROXY v1 header is longer than 107 bytes.");
            }

            await stream.ReadExactlyAsync(one, ct);
            line.Add(one[0]);
        }

        var fields = Encoding.ASCII.GetString([.. line]).TrimEnd('\r', '\n').Split(' ');
        return fields switch
        {
            ["UNKNOWN", ..] => Unknown,
            ["TCP4" or "TCP6", var source, _, _, _] when IPAddress.TryParse(source, out var address) => address.ToString(),
            _ => throw new InvalidDataException($"Malformed PROXY v1 header: {string.Join(' ', fields)}"),
        };
    }

    /// <summary>The signature, version and command, family, length, then the addresses (and any TLVs, skipped).</summary>
    private static async Task<string> ReadV2Async(Stream stream, CancellationToken ct)
    {
        var rest = new byte[V2Signature.Length - V1Start.Length + 4];
        await stream.ReadExactlyAsync(rest, ct);
        if (!rest.AsSpan(0, V2Signature.Length - V1Start.Length).SequenceEqual(V2Signature.AsSpan(V1Start.Length)))
        {
            throw new InvalidDataException("The connection does not start with a PROXY protocol header.");
        }

        var versionCommand = rest[^4];
        var family = rest[^3];
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(rest.AsSpan(rest.Length - 2))];
        await stream.ReadExactlyAsync(body, ct);
        if (versionCommand >> 4 != 2)
        {
            throw new InvalidDataException($"Unsupported PROXY protocol version {versionCommand >> 4}.");
        }

        var addressLength = (family >> 4) switch
        {
            1 => 4,
            2 => 16,
            _ => 0,
        };
        if ((versionCommand & 0x0F) == 0 || addressLength == 0)
        {
            return Unknown;
        }

        if (body.Length < 2 * addressLength + 4)
        {
            throw new InvalidDataException("The PROXY v2 header is too short for its addresses.");
        }

        return new IPAddress(body.AsSpan(0, addressLength)).ToString();
    }
}
