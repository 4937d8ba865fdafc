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
}
