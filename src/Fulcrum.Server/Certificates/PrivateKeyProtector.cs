using Microsoft.AspNetCore.DataProtection;

namespace Fulcrum.Server.Certificates;

/// <summary>Encrypts private keys at rest with ASP.NET Core Data Protection (key ring kept in the database).</summary>
public sealed class PrivateKeyProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Fulcrum.Certificates.PrivateKey.v1");

    public string Protect(string privateKeyPem) => _protector.Protect(privateKeyPem);

    public string Unprotect(string protectedKey) => _protector.Unprotect(protectedKey);
}
