using Fulcrum.Core.Api;
using Fulcrum.Core.Certificates;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Fulcrum.Server.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Certificates;

/// <summary>Certificates with their private keys; the key is accepted, encrypted at rest and never returned.</summary>
public sealed class CertificateOperations(FulcrumDbContext db, PrivateKeyProtector keys, TimeProvider time)
{
    private const string Kind = "certificate";

    public async Task<Versioned<CertificateResponse>> CreateAsync(Caller caller, CertificateRequest request, Write write, CancellationToken ct)
    {
        caller.RequireWriter();
        var spec = (request with { ProjectId = request.ProjectId ?? caller.ProjectId }).Normalize(write.Errors, pemRequired: true);
        await ProjectOperations.WritableProjectAsync(db, caller, spec.ProjectId, write.Errors, ct);
        var inspected = Inspect(write.Errors, spec);
        await Quotas.RequireRoomAsync(db, spec.ProjectId!, Quota.Certificates, 1, ct);

        var now = time.UtcDateTime();
        var certificate = new Certificate
        {
            Id = Ids.New("cert"),
            ProjectId = spec.ProjectId!,
            Name = spec.Name!,
            Description = spec.Description!,
            ChainPem = inspected.ChainPem,
            ProtectedPrivateKey = keys.Protect(inspected.PrivateKeyPem),
            Info = inspected.Info,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Certificates.Add(certificate);
        await db.SaveAsync(Affected.None, ct);
        return certificate.Versioned(certificate.ToResponse());
    }

    public async Task<Page<CertificateResponse>> ListAsync(Caller caller, string? projectId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Certificates.AsNoTracking()).Where(c => projectId == null || c.ProjectId == projectId);
        return await query.PageAsync(offset, limit, c => c.ToResponse(), ct);
    }

    public async Task<Versioned<CertificateResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var certificate = await caller.Visible(db.Certificates.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return certificate.Versioned(certificate.ToResponse());
    }

    /// <summary>Name and description change alone; a new chain and key, given together, rotate the pair on every listener using it.</summary>
    public async Task<Versioned<CertificateResponse>> UpdateAsync(Caller caller, string id, CertificateRequest request, Write write, CancellationToken ct)
    {
        var certificate = await db.Certificates.WritableAsync(caller, id, Kind, write, ct);
        Operations.Fixed(write.Errors, "projectId", request.ProjectId, certificate.ProjectId);
        var spec = (request with { ProjectId = certificate.ProjectId }).Normalize(write.Errors, pemRequired: false);
        var rotated = spec.CertificatePem is null ? null : Inspect(write.Errors, spec);
        write.Errors.ThrowIfAny();

        var key = keys.Unprotect(certificate.ProtectedPrivateKey);
        var rotates = rotated is not null && (rotated.ChainPem != certificate.ChainPem || rotated.PrivateKeyPem != key);
        var before = new { certificate.Name, certificate.Description, certificate.ChainPem, Key = key };
        var after = rotates
            ? new { Name = spec.Name!, Description = spec.Description!, rotated!.ChainPem, Key = rotated.PrivateKeyPem }
            : before with { Name = spec.Name!, Description = spec.Description! };
        // The key is encrypted anew on every write, so the nodes' view is compared with the key in the clear.
        await db.ChangeAsync(certificate, before, after, c => Apply(c, spec, rotates ? rotated : null),
            c => Projection.Of(c, keys.Unprotect(c.ProtectedPrivateKey)), UsersAsync, time.UtcDateTime(), ct);
        return certificate.Versioned(certificate.ToResponse());

        async Task<Affected> UsersAsync(CancellationToken token)
        {
            var affected = Affected.None;
            foreach (var listener in await UsersOfAsync(certificate, token))
            {
                affected.AddLoadBalancer(listener.LoadBalancerId, listener.ClusterId);
            }

            return affected;
        }
    }

    public async Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct)
    {
        var certificate = await db.Certificates.WritableAsync(caller, id, Kind, write, ct);
        var users = await UsersOfAsync(certificate, ct);
        if (users.Count > 0)
        {
            throw ProblemException.Conflict($"Certificate '{id}' is used by listener(s) {string.Join(", ", users.Select(l => l.Id))}; change or delete them first.");
        }

        db.Certificates.Remove(certificate);
        await db.SaveAsync(Affected.None, ct);
    }

    private void Apply(Certificate certificate, CertificateRequest spec, InspectedCertificate? rotated)
    {
        certificate.Name = spec.Name!;
        certificate.Description = spec.Description!;
        if (rotated is not null)
        {
            certificate.ChainPem = rotated.ChainPem;
            certificate.ProtectedPrivateKey = keys.Protect(rotated.PrivateKeyPem);
            certificate.Info = rotated.Info;
        }
    }

    private InspectedCertificate Inspect(ValidationErrors errors, CertificateRequest spec)
    {
        errors.ThrowIfAny();
        var inspected = CertificateInspector.Inspect(errors, spec.CertificatePem!, spec.PrivateKeyPem!, time.GetUtcNow());
        errors.ThrowIfAny();
        return inspected!;
    }

    /// <summary>Listeners that serve the certificate, as default or as an SNI certificate.</summary>
    private async Task<List<Listener>> UsersOfAsync(Certificate certificate, CancellationToken ct) =>
        (await db.Listeners.AsNoTracking().Where(l => l.ProjectId == certificate.ProjectId && l.Tls != null).ToListAsync(ct))
            .Where(l => l.CertificateIds.Contains(certificate.Id))
            .ToList();
}
