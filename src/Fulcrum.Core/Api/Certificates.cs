using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// A PEM certificate chain (leaf first) and its private key. The key is write-only: it is stored encrypted and never
/// returned. On update, both PEM fields may be omitted to keep the current pair, or given together to rotate it.
/// </summary>
public sealed record CertificateRequest(string? ProjectId, string? Name, string? Description, string? CertificatePem, string? PrivateKeyPem)
{
    public const int MaxPemLength = 256 * 1024;

    public CertificateRequest Normalize(ValidationErrors errors, bool pemRequired)
    {
        if (pemRequired || CertificatePem is not null || PrivateKeyPem is not null)
        {
            Pem(errors, "certificatePem", CertificatePem);
            Pem(errors, "privateKeyPem", PrivateKeyPem);
        }

        return this with
        {
            ProjectId = Grammar.Required(errors, "projectId", ProjectId),
            Name = Grammar.Name(errors, "name", Name),
            Description = Grammar.Description(errors, "description", Description),
        };
    }

    private static void Pem(ValidationErrors errors, string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(path, "is required.");
        }
        else if (value.Length > MaxPemLength)
        {
            errors.Add(path, $"must be at most {MaxPemLength} characters.");
        }
    }
}

public sealed record CertificateResponse(
    string Id,
    string ProjectId,
    string Name,
    string Description,
    string Subject,
    string Issuer,
    IReadOnlyList<string> SubjectAlternativeNames,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string FingerprintSha256,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
