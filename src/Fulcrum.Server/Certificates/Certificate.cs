using Fulcrum.Core.Api;
using Fulcrum.Core.Certificates;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Certificates;

/// <summary>A certificate chain and its private key; the key is kept encrypted with ASP.NET Core Data Protection.</summary>
public sealed class Certificate : Resource, IProjectScoped
{
    public required string ProjectId { get; init; }

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public required string ChainPem { get; set; }

    public required string ProtectedPrivateKey { get; set; }

    public required CertificateInfo Info { get; set; }

    public CertificateResponse ToResponse() => new(
        Id,
        ProjectId,
        Name,
        Description,
        Info.Subject,
        Info.Issuer,
        Info.SubjectAlternativeNames,
        Info.NotBefore,
        Info.NotAfter,
        Info.FingerprintSha256,
        CreatedAt.AsUtc(),
        UpdatedAt.AsUtc());
}
