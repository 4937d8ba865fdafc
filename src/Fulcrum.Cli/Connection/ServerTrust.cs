using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fulcrum.Cli.Connection;

/// <summary>
/// How the CLI knows it talks to its own control plane, the way the agent decides it at join: a pinned SHA-256
/// fingerprint of the server's certificate, a CA that must have issued it, or else the system's trust store.
/// </summary>
public static class ServerTrust
{
    /// <summary>The fingerprint as 64 hex digits, from any of the usual spellings (colons, spaces, either case), or null when it is not one.</summary>
    public static string? NormalizeFingerprint(string text)
    {
        var hex = new string([.. text.Where(c => c is not (':' or ' ' or '-'))]).ToUpperInvariant();
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex : null;
    }

    public static bool Accepts(CliContext context, X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        if (context.Fingerprint is not null)
        {
            // The pin names one certificate exactly, so neither its issuer nor the names in it matter.
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.RawData), Convert.FromHexString(context.Fingerprint));
        }

        if (context.CaCertificatePem is null)
        {
            return errors == SslPolicyErrors.None || context.Insecure;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var ca = X509Certificate2.CreateFromPem(context.CaCertificatePem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public static SocketsHttpHandler CreateHandler(CliContext context) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Accepts(context, certificate as X509Certificate2, errors),
        },
    };
}
