using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.DataProtection;

namespace Fulcrum.Server.Certificates;

/// <summary>
/// The Data Protection key ring that encrypts certificate private keys, itself encrypted with a certificate the
/// operator provides (<c>Fulcrum:KeyRingCertificate</c>): a copy of the database alone, or its directory, then
/// decrypts nothing. In the Development environment a missing one is made in the data directory, with a warning.
/// </summary>
public static class KeyRing
{
    public const string GeneratedFile = "key-ring-certificate.pem";

    public static void AddFulcrumKeyRing(this WebApplicationBuilder builder, FulcrumServerOptions options)
    {
        var certificate = Certificate(builder.Environment, options);
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("fulcrum");
        if (options.KeysDirectory is null)
        {
            dataProtection.PersistKeysToDbContext<FulcrumDbContext>();
        }
        else
        {
            DataDirectory.Create(options.KeysDirectory);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(options.KeysDirectory));
        }

        // Unprotecting with the certificate itself, not a lookup in the user's X.509 store, which is empty on Linux.
        dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    private static X509Certificate2 Certificate(IHostEnvironment environment, FulcrumServerOptions options)
    {
        var path = options.KeyRingCertificate;
        if (path is null)
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "Fulcrum:KeyRingCertificate (environment Fulcrum__KeyRingCertificate) is not set: without it the key ring that encrypts "
                    + "certificate private keys would be stored in plain text. Give it a PEM file holding an RSA certificate and its private key, "
                    + "e.g. made with: openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj /CN=fulcrum-key-ring -keyout key.pem -out cert.pem "
                    + "&& cat cert.pem key.pem > key-ring.pem (keep it 0600, outside the data directory and its backups).");
            }

            DataDirectory.Create(options.DataDirectory);
            path = Path.Combine(options.DataDirectory, GeneratedFile);
            if (!File.Exists(path))
            {
                System.Console.Error.WriteLine($"Development: no Fulcrum:KeyRingCertificate configured; made {Path.GetFullPath(path)}, next to the database it protects. Never do this in production.");
                DataDirectory.WritePrivate(path, NewPem());
            }
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Fulcrum:KeyRingCertificate names {path}, which does not exist.");
        }

        var certificate = X509Certificate2.CreateFromPemFile(path);
        using var key = certificate.GetRSAPrivateKey();
        return key is null
            ? throw new InvalidOperationException($"Fulcrum:KeyRingCertificate ({path}) must hold an RSA certificate and its private key.")
            : certificate;
    }

    private static string NewPem()
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=fulcrum-key-ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }
}
