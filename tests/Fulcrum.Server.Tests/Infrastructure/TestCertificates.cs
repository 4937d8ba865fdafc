using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fulcrum.Server.Tests.Infrastructure;

/// <summary>A PEM certificate with its unencrypted PKCS#8 key, its fingerprint, and the public key alone for tests that misuse it.</summary>
public sealed record TestCertificate(string CertificatePem, string PrivateKeyPem, string FingerprintSha256, string PublicKeyPem);

public static class TestCertificates
{
    /// <summary>A self-signed RSA certificate for <paramref name="hostname"/>, valid around <paramref name="now"/>.</summary>
    public static TestCertificate Create(string hostname, DateTimeOffset now, TimeSpan? validFrom = null, TimeSpan? validFor = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostname}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostname);
        request.CertificateExtensions.Add(names.Build());
        var notBefore = now + (validFrom ?? TimeSpan.FromDays(-1));
        using var certificate = request.CreateSelfSigned(notBefore, notBefore + (validFor ?? TimeSpan.FromDays(90)));
        return new TestCertificate(
            certificate.ExportCertificatePem(),
            key.ExportPkcs8PrivateKeyPem(),
            certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(),
            key.ExportSubjectPublicKeyInfoPem());
    }

    public static TestCertificate SelfSigned(DateTimeOffset now) => Create("test.example.com", now);

    /// <summary>A self-signed RSA certificate with a key of <paramref name="bits"/> bits (haproxy's OpenSSL refuses below 2048).</summary>
    public static TestCertificate Rsa(int bits, DateTimeOffset now)
    {
        using var key = RSA.Create(bits);
        return Build(new CertificateRequest("CN=weak.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), key, now);
    }

    /// <summary>A self-signed EC certificate on the curve named <paramref name="curve"/> (such as nistP192).</summary>
    public static TestCertificate Ec(string curve, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        return Build(new CertificateRequest("CN=weak.example.test", key, HashAlgorithmName.SHA256), key, now);
    }

    /// <summary>What <c>openssl req -addext "subjectAltName=DER:0102"</c> makes: a SAN extension that is not DER.</summary>
    public static TestCertificate MalformedSubjectAltName(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=bad-san.example.test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", new byte[] { 0x01, 0x02 }, critical: false));
        return Build(request, key, now);
    }

    private static TestCertificate Build(CertificateRequest request, AsymmetricAlgorithm key, DateTimeOffset now)
    {
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(90));
        return new TestCertificate(
            certificate.ExportCertificatePem(),
            key.ExportPkcs8PrivateKeyPem(),
            certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(),
            key.ExportSubjectPublicKeyInfoPem());
    }
}
