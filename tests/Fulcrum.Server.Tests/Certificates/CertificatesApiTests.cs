using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Certificates;

public sealed class CertificatesApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task Create_DerivesFacts_AndNeverReturnsOrStoresTheKeyInTheClear()
    {
        var project = await Seed.ProjectAsync();
        var pem = TestCertificates.Create("shop.example.test", factory.Time.GetUtcNow());

        var created = await _admin.PostAsync("certificates", new { projectId = project.Id, name = "shop", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
        var certificate = await created.ReadAsync<CertificateResponse>(HttpStatusCode.Created);
        var bodies = new[]
        {
            await created.Content.ReadAsStringAsync(),
            await (await _admin.GetAsync($"certificates/{certificate.Id}")).Content.ReadAsStringAsync(),
            await (await _admin.GetAsync($"certificates?projectId={project.Id}")).Content.ReadAsStringAsync(),
        };

        Assert.Equal("CN=shop.example.test", certificate.Subject);
        Assert.Equal(["shop.example.test"], certificate.SubjectAlternativeNames);
        Assert.Equal(pem.FingerprintSha256, certificate.FingerprintSha256);
        Assert.All(bodies, body => Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal));
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<FulcrumDbContext>().Certificates.AsNoTracking().SingleAsync(c => c.Id == certificate.Id);
        Assert.DoesNotContain("PRIVATE KEY", stored.ProtectedPrivateKey, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyBody(pem.PrivateKeyPem), stored.ProtectedPrivateKey, StringComparison.Ordinal);
    }

    public static TheoryData<string> Unloadable() => ["rsa-512", "rsa-1024", "ec-nistP192", "malformed-san"];

    /// <summary>haproxy's OpenSSL 3 would refuse these, and with them the whole cluster's configuration; the SAN once answered 500.</summary>
    [Theory]
    [MemberData(nameof(Unloadable))]
    public async Task CreateAndRotate_CertificateHaproxyCannotLoad_RefusedWith400OnCertificatePem(string kind)
    {
        var project = await Seed.ProjectAsync();
        var now = factory.Time.GetUtcNow();
        var bad = kind switch
        {
            "rsa-512" => TestCertificates.Rsa(512, now),
            "rsa-1024" => TestCertificates.Rsa(1024, now),
            "ec-nistP192" => TestCertificates.Ec("nistP192", now),
            _ => TestCertificates.MalformedSubjectAltName(now),
        };
        var pair = TestCertificates.SelfSigned(now);
        var good = await _admin.CreateAsync<CertificateResponse>("certificates", new { projectId = project.Id, name = "good", certificatePem = pair.CertificatePem, privateKeyPem = pair.PrivateKeyPem });

        var created = await _admin.PostAsync("certificates", new { projectId = project.Id, name = "bad", certificatePem = bad.CertificatePem, privateKeyPem = bad.PrivateKeyPem });
        var rotated = await _admin.PutAsync($"certificates/{good.Id}", new { name = "good", certificatePem = bad.CertificatePem, privateKeyPem = bad.PrivateKeyPem });

        Assert.Equal(["certificatePem"], (await created.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(["certificatePem"], (await rotated.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(good.FingerprintSha256, (await _admin.GetAsync<CertificateResponse>($"certificates/{good.Id}")).FingerprintSha256);
    }

    [Fact]
    public async Task Create_ExpiredOrMismatched_IsRefusedWithAClearMessage()
    {
        var project = await Seed.ProjectAsync();
        var now = factory.Time.GetUtcNow();
        var expired = TestCertificates.Create("old.example.test", now, validFrom: TimeSpan.FromDays(-30), validFor: TimeSpan.FromDays(10));
        var other = TestCertificates.Create("other.example.test", now);

        var expiredResponse = await _admin.PostAsync("certificates", new { projectId = project.Id, name = "old", certificatePem = expired.CertificatePem, privateKeyPem = expired.PrivateKeyPem });
        var mismatched = await _admin.PostAsync("certificates", new { projectId = project.Id, name = "mixed", certificatePem = expired.CertificatePem, privateKeyPem = other.PrivateKeyPem });

        Assert.Contains("expired", Assert.Single((await expiredResponse.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors["certificatePem"]));
        Assert.Contains("does not match", Assert.Single((await mismatched.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors["privateKeyPem"]));
    }

    [Fact]
    public async Task Update_RotatingACertificateInUse_MovesTheRevision_RenamingDoesNot()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        var lb = await Seed.LoadBalancerAsync(project, cluster, "198.18.80.1");
        var first = TestCertificates.Create("www.example.test", factory.Time.GetUtcNow());
        var certificate = await _admin.CreateAsync<CertificateResponse>("certificates", new { projectId = project.Id, name = "www", certificatePem = first.CertificatePem, privateKeyPem = first.PrivateKeyPem });
        await _admin.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "tls", protocol = "https", port = 443, tls = new { certificateId = certificate.Id } });
        var revision = await Seed.RevisionAsync(cluster.Id);

        await _admin.UpdateAsync<CertificateResponse>($"certificates/{certificate.Id}", new { name = "www (renamed)" });
        var afterRename = await Seed.RevisionAsync(cluster.Id);
        var second = TestCertificates.Create("www.example.test", factory.Time.GetUtcNow());
        var rotated = await _admin.UpdateAsync<CertificateResponse>($"certificates/{certificate.Id}", new { name = "www (renamed)", certificatePem = second.CertificatePem, privateKeyPem = second.PrivateKeyPem });

        Assert.Equal(revision, afterRename);
        Assert.Equal(revision + 1, await Seed.RevisionAsync(cluster.Id));
        Assert.Equal(second.FingerprintSha256, rotated.FingerprintSha256);
    }

    [Fact]
    public async Task Delete_WhileAListenerServesIt_Conflicts()
    {
        var project = await Seed.ProjectAsync();
        var lb = await Seed.LoadBalancerAsync(project, await Seed.ClusterAsync(), "198.18.80.2");
        var pem = TestCertificates.Create("sni.example.test", factory.Time.GetUtcNow());
        var main = TestCertificates.Create("main.example.test", factory.Time.GetUtcNow());
        var sni = await _admin.CreateAsync<CertificateResponse>("certificates", new { projectId = project.Id, name = "sni", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
        var fallback = await _admin.CreateAsync<CertificateResponse>("certificates", new { projectId = project.Id, name = "main", certificatePem = main.CertificatePem, privateKeyPem = main.PrivateKeyPem });
        await _admin.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "tls", protocol = "https", port = 443, tls = new { certificateId = fallback.Id, sniCertificateIds = new[] { sni.Id } } });

        var response = await _admin.DeleteAsync($"certificates/{sni.Id}");

        await response.ReadProblemAsync(HttpStatusCode.Conflict);
    }

    private static string KeyBody(string pem) => pem.Split('\n')[1];
}
