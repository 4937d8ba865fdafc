using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using X509Request = System.Security.Cryptography.X509Certificates.CertificateRequest;

namespace Fulcrum.Server.Tests.Infrastructure;

/// <summary>A PEM certificate with its unencrypted PKCS#8 key, and the public key alone for tests that misuse it.</summary>
public sealed record TestCertificate(string CertificatePem, string PrivateKeyPem, string PublicKeyPem);

public static class TestCertificates
{
    /// <summary>A self-signed RSA certificate valid from a day before <paramref name="now"/> for <paramref name="validDays"/> days.</summary>
    public static TestCertificate SelfSigned(DateTimeOffset now, string hostname = "test.example.com", int validDays = 30) =>
        SelfSigned(hostname, now.AddDays(-1), now.AddDays(validDays));

    public static TestCertificate SelfSigned(string hostname, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new X509Request($"CN={hostname}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostname);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new TestCertificate(certificate.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem(), rsa.ExportSubjectPublicKeyInfoPem());
    }
}
