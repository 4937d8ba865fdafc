using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fulcrum.Agent.Enrolment;

/// <summary>
/// How a node knows it talks to its own control plane, decided at <c>join</c> and kept with the credential: a pinned
/// SHA-256 fingerprint of the server's certificate (<c>--server-fingerprint</c>), a CA that must have issued it
/// (<c>--ca-file</c>), or else the system's trust store. Plain <c>http://</c> only with <see cref="Insecure"/>: every
/// snapshot carries the cluster's private keys.
/// </summary>
public sealed record ServerTrust(string? Fingerprint = null, string? CaCertificatePem = null, bool Insecure = false)
{
    /// <summary>Why this node must not talk to <paramref name="server"/> this way, or null when it may.</summary>
    public string? Refusal(Uri server) =>
        server.Scheme == Uri.UriSchemeHttp && !Insecure
            ? $"{server} is plain HTTP: the control channel carries the node credential and every private key of the cluster. Use https://, or --insecure for a lab."
            : null;

    /// <summary>The fingerprint as 64 hex digits, from any of the usual spellings (colons, spaces, either case), or null when it is not one.</summary>
    public static string? NormalizeFingerprint(string text)
    {
        var hex = new string([.. text.Where(c => c is not (':' or ' ' or '-'))]).ToUpperInvariant();
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex : null;
    }

    /// <summary>The server certificate's validation: the pin or the CA decides, not the host's trust store.</summary>
    public bool Accepts(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        if (Fingerprint is not null)
        {
            // The pin names one certificate exactly, so neither its issuer nor the names in it matter.
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.RawData), Convert.FromHexString(Fingerprint));
        }

        if (CaCertificatePem is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var ca = X509Certificate2.CreateFromPem(CaCertificatePem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public SocketsHttpHandler CreateHandler() => new()
    {
        // The server sends snapshots gzip-compressed to a client that accepts it.
        AutomaticDecompression = DecompressionMethods.GZip,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                Accepts(certificate as X509Certificate2, errors),
        },
    };
}
