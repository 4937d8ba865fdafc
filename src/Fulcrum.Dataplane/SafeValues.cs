using System.Globalization;
using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Dataplane;

/// <summary>
/// The only doors from a snapshot or the node's facts into a configuration file. The control plane validated these
/// values already; a renderer checks them again because a file is only as safe as its last writer, and a snapshot
/// can reach an agent by other roads (a replayed file on disk, a bug, a compromised server). Each check returns the
/// value in the form to write (addresses canonical, networks without host bits) or throws
/// <see cref="RenderRefusedException"/> naming the field, never echoing the value.
/// </summary>
internal static class SafeValues
{
    private const int MaxIdLength = 64;
    private const int MaxPathLength = 1024;

    /// <summary>Server-made ids (<c>lb-3kq9z0c4m1x7t2ab</c>): letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static string Id(string? value, string field)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxIdLength || !char.IsAsciiLetterOrDigit(value[0])
            || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw Refuse(field, $"must be an id of 1-{MaxIdLength} letters, digits, '-' and '_'.");
        }

        return value;
    }

    public static IPAddress Address(string? value, string field) =>
        value is not null && Grammar.TryParseIp(value, out var address)
            ? address
            : throw Refuse(field, "must be an IPv4 or IPv6 address.");

    public static IPNetwork Cidr(string? value, string field) =>
        value is not null && Grammar.TryParseCidr(value, out var network)
            ? network
            : throw Refuse(field, "must be an IPv4 or IPv6 address or CIDR block.");

    public static string Interface(string? value, string field) =>
        NodeGrammar.Interface(new ValidationErrors(), field, value)
            ?? throw Refuse(field, "must be a network interface name: 1-15 letters, digits, '-', '_' or '.'.");

    public static int Range(int? value, int min, int max, string field) =>
        value is { } number && number >= min && number <= max
            ? number
            : throw Refuse(field, $"must be between {min} and {max}.");

    /// <summary>
    /// An absolute path from the node's facts, without its trailing '/'. Only characters that mean nothing to the
    /// nginx and keepalived parsers pass: no white space, quotes, '#', '!', ';', '{', '}', '$' or '\'.
    /// </summary>
    public static string Path(string? value, string field)
    {
        if (string.IsNullOrEmpty(value) || value[0] != '/' || value.Length > MaxPathLength || !value.All(IsPlainChar)
            || value.Split('/').Contains(".."))
        {
            throw Refuse(field, "must be an absolute path of letters, digits and . _ - + / only.");
        }

        return value.Length > 1 ? value.TrimEnd('/') : value;
    }

    /// <summary>A word of a command line: it must survive keepalived's quoting and splitting unchanged.</summary>
    public static string Argument(string? value, string field) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxPathLength && value.All(c => IsPlainChar(c) || c is '=' or ':' or ',')
            ? value
            : throw Refuse(field, "must be a command-line word of letters, digits and . _ - + / = : , only.");

    /// <summary><c>host:port</c>, the IPv6 host in brackets.</summary>
    public static string Endpoint(IPAddress address, int port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{address}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{address}:{port.ToString(CultureInfo.InvariantCulture)}";

    public static RenderRefusedException Refuse(string field, string problem) => new($"{field} {problem}");

    private static bool IsPlainChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '/';
}
