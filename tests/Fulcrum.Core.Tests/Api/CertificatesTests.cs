using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class CertificatesTests
{
    [Fact]
    public void Normalize_CreateWithoutPem_BothPemFieldsRequired()
    {
        var errors = new ValidationErrors();

        new CertificateRequest("prj-1", "shop", null, null, null).Normalize(errors, pemRequired: true);

        Assert.Equal(["certificatePem", "privateKeyPem"], errors.Paths());
    }

    [Fact]
    public void Normalize_UpdateWithoutPem_KeepsTheCurrentPair()
    {
        var errors = new ValidationErrors();

        var certificate = new CertificateRequest("prj-1", "shop", null, null, null).Normalize(errors, pemRequired: false);

        Assert.True(errors.IsEmpty);
        Assert.Null(certificate.CertificatePem);
        Assert.Null(certificate.PrivateKeyPem);
        Assert.Equal("", certificate.Description);
    }

    [Fact]
    public void Normalize_UpdateWithOnlyTheCertificate_KeyRequired()
    {
        var errors = new ValidationErrors();

        new CertificateRequest("prj-1", "shop", null, "-----BEGIN CERTIFICATE-----", null).Normalize(errors, pemRequired: false);

        Assert.Equal(["privateKeyPem"], errors.Paths());
    }

    [Fact]
    public void Normalize_PemLongerThanLimit_Rejected()
    {
        var errors = new ValidationErrors();
        var huge = new string('A', CertificateRequest.MaxPemLength + 1);

        new CertificateRequest("prj-1", "shop", null, huge, "key").Normalize(errors, pemRequired: true);

        Assert.Equal(["certificatePem"], errors.Paths());
        Assert.Equal(["must be at most 262144 characters."], errors.MessagesAt("certificatePem"));
    }
}
