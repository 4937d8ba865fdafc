using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Certificates;

/// <summary>What the API shows of a certificate; derived from the leaf, never typed by a user.</summary>
public sealed record CertificateInfo(
    string Subject,
    string Issuer,
    IReadOnlyList<string> SubjectAlternativeNames,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string FingerprintSha256);

/// <summary>
/// A checked certificate: the chain and key re-encoded from their parsed form, so that no text around the PEM
/// blocks ever reaches a node.
/// </summary>
public sealed record InspectedCertificate(CertificateInfo Info, string ChainPem, string PrivateKeyPem);

public static class CertificateInspector
{
    public const int MaxChainLength = 10;
    public const int MinRsaBits = 2048;
    public const int MinEcBits = 256;

    private static readonly Dictionary<string, string> WeakSignatures = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.2"] = "MD2",
        ["1.2.840.113549.1.1.3"] = "MD4",
        ["1.2.840.113549.1.1.4"] = "MD5",
        ["1.2.840.113549.1.1.5"] = "SHA-1",
        ["1.3.14.3.2.29"] = "SHA-1",
        ["1.2.840.10045.4.1"] = "SHA-1",
        ["1.2.840.10040.4.3"] = "SHA-1",
    };

    /// <summary>
    /// Parses a PEM chain (leaf first) and an unencrypted RSA or EC private key, checks that they belong together and
    /// that the leaf is valid at <paramref name="now"/>. Problems go to <paramref name="errors"/>.
    /// </summary>
    public static InspectedCertificate? Inspect(ValidationErrors errors, string certificatePem, string privateKeyPem, DateTimeOffset now)
    {
        var chain = ReadChain(errors, certificatePem);
        var key = ReadKey(errors, privateKeyPem);
        if (chain is null || key is null)
        {
            key?.Dispose();
            return null;
        }

        using (key)
        {
            var leaf = chain[0];
            if (now < leaf.NotBefore.ToUniversalTime())
            {
                errors.Add("certificatePem", $"is not valid yet: the certificate starts on {Format(leaf.NotBefore)}.");
            }
            else if (now > leaf.NotAfter.ToUniversalTime())
            {
                errors.Add("certificatePem", $"has expired: the certificate ended on {Format(leaf.NotAfter)}.");
            }

            if (!KeyMatches(leaf, key))
            {
                errors.Add("privateKeyPem", "does not match the certificate: its public key differs from the leaf certificate's.");
            }

            CheckStrength(errors, chain);
            var names = SubjectAlternativeNames(errors, leaf);
            if (!errors.IsEmpty || names is null)
            {
                return null;
            }

            var info = new CertificateInfo(
                leaf.Subject,
                leaf.Issuer,
                names,
                leaf.NotBefore.ToUniversalTime(),
                leaf.NotAfter.ToUniversalTime(),
                leaf.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant());
            var chainPem = string.Concat(chain.Select(certificate => certificate.ExportCertificatePem() + "\n"));
            return new InspectedCertificate(info, chainPem, key.ExportPkcs8PrivateKeyPem() + "\n");
        }
    }

    private static X509Certificate2[]? ReadChain(ValidationErrors errors, string pem)
    {
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            errors.Add("certificatePem", "holds a private key: send the key in privateKeyPem only.");
            return null;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            errors.Add("certificatePem", "is not a valid PEM certificate chain.");
            return null;
        }

        if (certificates.Count is 0 or > MaxChainLength)
        {
            errors.Add("certificatePem", $"must hold 1 to {MaxChainLength} PEM 'CERTIFICATE' blocks, the leaf first.");
            return null;
        }

        return [.. certificates];
    }

    private static AsymmetricAlgorithm? ReadKey(ValidationErrors errors, string pem)
    {
        if (pem.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            errors.Add("privateKeyPem", "is encrypted: send the key without a passphrase (it is encrypted at rest by Fulcrum).");
            return null;
        }

        AsymmetricAlgorithm[] candidates = [RSA.Create(), ECDsa.Create()];
        foreach (var candidate in candidates)
        {
            try
            {
                ImportPem(candidate, pem);
                foreach (var other in candidates.Where(c => c != candidate))
                {
                    other.Dispose();
                }

                return candidate;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                candidate.Dispose();
            }
        }

        errors.Add("privateKeyPem", "is not an unencrypted PEM RSA or EC private key.");
        return null;
    }

    private static void ImportPem(AsymmetricAlgorithm key, string pem)
    {
        switch (key)
        {
            case RSA rsa:
                rsa.ImportFromPem(pem);
                break;
            case ECDsa ecdsa:
                ecdsa.ImportFromPem(pem);
                break;
        }
    }

    private static bool KeyMatches(X509Certificate2 leaf, AsymmetricAlgorithm key)
    {
        try
        {
            using var paired = key switch
            {
                RSA rsa => leaf.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => leaf.CopyWithPrivateKey(ecdsa),
                _ => null,
            };
            return paired is not null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static List<string>? SubjectAlternativeNames(ValidationErrors errors, X509Certificate2 leaf)
    {
        var names = new List<string>();
        try
        {
            foreach (var extension in leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>())
            {
                names.AddRange(extension.EnumerateDnsNames());
                names.AddRange(extension.EnumerateIPAddresses().Select(address => address.ToString()));
            }
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            errors.Add("certificatePem", "has a malformed subjectAltName extension: its names cannot be read.");
            return null;
        }

        return names;
    }

    /// <summary>
    /// haproxy loads certificates through OpenSSL 3 at security level 2, which refuses keys below RSA 2048 bits or
    /// EC 256 bits and MD5 or SHA-1 signatures; one such certificate makes <c>haproxy -c</c> refuse the whole
    /// cluster's configuration, so it is refused here. A self-signed certificate's own signature is not checked by
    /// OpenSSL, so it is not checked here either.
    /// </summary>
    private static void CheckStrength(ValidationErrors errors, X509Certificate2[] chain)
    {
        for (var i = 0; i < chain.Length; i++)
        {
            var which = i == 0 ? "the leaf certificate" : $"certificate {i + 1} of the chain";
            using var rsa = chain[i].GetRSAPublicKey();
            using var ec = rsa is null ? chain[i].GetECDsaPublicKey() : null;
            if (rsa is { KeySize: < MinRsaBits })
            {
                errors.Add("certificatePem", $"{which} has an RSA key of {rsa.KeySize} bits: at least {MinRsaBits} are needed (haproxy's OpenSSL refuses smaller keys).");
            }
            else if (ec is { KeySize: < MinEcBits })
            {
                errors.Add("certificatePem", $"{which} has an EC key of {ec.KeySize} bits: a curve of at least {MinEcBits} bits (P-256) is needed (haproxy's OpenSSL refuses smaller curves).");
            }

            var selfSigned = chain[i].SubjectName.RawData.AsSpan().SequenceEqual(chain[i].IssuerName.RawData);
            if (!selfSigned && WeakSignatures.TryGetValue(chain[i].SignatureAlgorithm.Value ?? "", out var weak))
            {
                errors.Add("certificatePem", $"{which} is signed with {weak}, which haproxy's OpenSSL refuses: reissue it signed with SHA-256 or stronger.");
            }
        }
    }

    private static string Format(DateTime instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
