using System.Security.Cryptography;
using Fulcrum.Core.Validation;

namespace Fulcrum.Dataplane.Haproxy;

/// <summary>
/// Certificates and keys re-encoded from their decoded PEM blocks: text around or between the blocks never reaches
/// a node, and only the block types haproxy should load pass.
/// </summary>
public static class Pem
{
    private static readonly string[] KeyLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

    /// <summary>The chain's CERTIFICATE blocks, leaf first, or null (with an error) when there are none or others.</summary>
    public static string? Certificates(ValidationErrors errors, string path, string? text)
    {
        var blocks = Blocks(text);
        if (blocks is null || blocks.Count == 0 || blocks.Any(block => block.Label != "CERTIFICATE"))
        {
            errors.Add(path, "must be one or more PEM CERTIFICATE blocks.");
            return null;
        }

        return string.Concat(blocks.Select(Write));
    }

    /// <summary>The one unencrypted private key block, or null (with an error).</summary>
    public static string? PrivateKey(ValidationErrors errors, string path, string? text)
    {
        if (text is null)
        {
            errors.Add(path, "is missing: only a snapshot for an agent carries private keys.");
            return null;
        }

        // openssl writes EC PARAMETERS before an EC key; haproxy does not need them.
        var blocks = Blocks(text)?.Where(block => block.Label != "EC PARAMETERS").ToList();
        if (blocks is not [var key] || !KeyLabels.Contains(key.Label, StringComparer.Ordinal))
        {
            errors.Add(path, "must be one unencrypted PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY).");
            return null;
        }

        return Write(key);
    }

    private static List<Block>? Blocks(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var blocks = new List<Block>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var data = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], data, out var written))
            {
                return null;
            }

            blocks.Add(new Block(rest[fields.Label].ToString(), data[..written]));
            rest = rest[fields.Location.End..];
        }

        return blocks;
    }

    private static string Write(Block block) => new string(PemEncoding.Write(block.Label, block.Data)) + "\n";

    private sealed record Block(string Label, byte[] Data);
}
