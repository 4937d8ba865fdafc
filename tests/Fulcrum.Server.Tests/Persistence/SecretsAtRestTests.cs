using Fulcrum.Server.Persistence;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Persistence;

public sealed class SecretsAtRestTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task KeyRing_StoredInTheDatabase_IsEncrypted()
    {
        using var admin = factory.Admin();
        var project = await new Seed(admin).ProjectAsync();
        var pem = TestCertificates.Create("ring.example.test", factory.Time.GetUtcNow());
        await admin.CreateAsync<Fulcrum.Core.Api.CertificateResponse>("certificates", new { projectId = project.Id, name = "ring", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });

        await using var scope = factory.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<FulcrumDbContext>().DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync();

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task SqliteDatabase_AndItsDirectory_AreTheServersUserOnly()
    {
        var root = Directory.CreateTempSubdirectory("fulcrum-modes-").FullName;
        var data = Path.Combine(root, "data");
        try
        {
            await using (var sqlite = factory.WithWebHostBuilder(builder =>
            {
                builder.UseSetting("Fulcrum:Database", "Sqlite");
                builder.UseSetting("Fulcrum:DataDirectory", data);
                builder.UseSetting("Fulcrum:ConnectionString", $"Data Source={Path.Combine(data, "fulcrum.db")}");
            }))
            {
                var client = sqlite.CreateClient();
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", factory.AdminToken);
                using var admin = new ApiClient(client);
                await new Seed(admin).ProjectAsync();

                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "fulcrum.db")));
                var files = Directory.GetFiles(data);
                Assert.Contains(files, f => f.EndsWith(KeyRingFile, StringComparison.Ordinal));
                Assert.All(files, f => Assert.True((File.GetUnixFileMode(f) & GroupOrOther) == 0, $"{f} is {File.GetUnixFileMode(f)}"));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Production_WithoutAKeyRingCertificate_RefusesToStart()
    {
        using var production = factory.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));

        var refused = Assert.ThrowsAny<Exception>(() => production.CreateClient());

        Assert.Contains("Fulcrum:KeyRingCertificate", refused.ToString(), StringComparison.Ordinal);
    }

    private static string KeyRingFile => Fulcrum.Server.Certificates.KeyRing.GeneratedFile;
}
