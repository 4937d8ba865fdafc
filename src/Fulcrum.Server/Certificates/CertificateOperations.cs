using Fulcrum.Core.Api;
using Fulcrum.Core.Certificates;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Certificates;

/// <summary>Certificates' reads and writes, for the REST endpoints and the console alike; a private key goes in, never out.</summary>
public sealed class CertificateOperations(FulcrumDbContext db, PrivateKeyProtector keys, TimeProvider time, AuditLog audit)
{
    private const string Kind = "certificate";

    public async Task<Page<CertificateResponse>> ListAsync(Caller caller, string? projectId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Certificates.AsNoTracking()).Where(c => projectId == null || c.ProjectId == projectId);
        return await query.PageAsync(offset, limit, c => c.ToResponse(), ct);
    }

    public async Task<Versioned<CertificateResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var certificate = await caller.Visible(db.Certificates.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return Versioned.Of(certificate, certificate.ToResponse());
    }

    public Task<Versioned<CertificateResponse>> CreateAsync(Caller caller, CertificateRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.Certificate, null, async () =>
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
            return Versioned.Of(certificate, certificate.ToResponse());
        });

    /// <summary>Name and description change alone; a new chain and key, given together, rotate the pair on every listener using it.</summary>
    public Task<Versioned<CertificateResponse>> UpdateAsync(Caller caller, string id, CertificateRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.Certificate, id, async () =>
        {
            var certificate = await caller.Visible(db.Certificates).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            Writes.Fixed(write.Errors, "projectId", request.ProjectId, certificate.ProjectId);
            var spec = (request with { ProjectId = certificate.ProjectId }).Normalize(write.Errors, pemRequired: false);
            var rotated = spec.CertificatePem is null ? null : Inspect(write.Errors, spec);
            write.Errors.ThrowIfAny();

            // The nodes see a certificate's chain and key; a rotation to the same pair (its key re-encrypted) is no change.
            var rotates = rotated is not null
                && (rotated.ChainPem != certificate.ChainPem || rotated.PrivateKeyPem != keys.Unprotect(certificate.ProtectedPrivateKey));
            if (!rotates && spec.Name == certificate.Name && spec.Description == certificate.Description)
            {
                return Versioned.Of(certificate, certificate.ToResponse());
            }

            certificate.Name = spec.Name!;
            certificate.Description = spec.Description!;
            var affected = Affected.None;
            if (rotates)
            {
                certificate.ChainPem = rotated!.ChainPem;
                certificate.ProtectedPrivateKey = keys.Protect(rotated.PrivateKeyPem);
                certificate.Info = rotated.Info;
                foreach (var listener in await UsersAsync(certificate, ct))
                {
                    affected.AddLoadBalancer(listener.LoadBalancerId, listener.ClusterId);
                }
            }

            certificate.Touch(time.UtcDateTime());
            await db.SaveAsync(affected, ct);
            return Versioned.Of(certificate, certificate.ToResponse());
        });

    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.Certificate, id, async () =>
        {
            var certificate = await caller.Visible(db.Certificates).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            var users = await UsersAsync(certificate, ct);
            if (users.Count > 0)
            {
                throw ProblemException.Conflict($"Certificate '{id}' is used by listener(s) {string.Join(", ", users.Select(l => l.Id))}; change or delete them first.");
            }

            db.Certificates.Remove(certificate);
            await db.SaveAsync(Affected.None, ct);
        });

    private InspectedCertificate Inspect(ValidationErrors errors, CertificateRequest spec)
    {
        errors.ThrowIfAny();
        var inspected = CertificateInspector.Inspect(errors, spec.CertificatePem!, spec.PrivateKeyPem!, time.GetUtcNow());
        errors.ThrowIfAny();
        return inspected!;
    }

    /// <summary>Listeners that serve the certificate, as default or as an SNI certificate.</summary>
    private async Task<List<Listener>> UsersAsync(Certificate certificate, CancellationToken ct) =>
        (await db.Listeners.AsNoTracking().Where(l => l.ProjectId == certificate.ProjectId && l.Tls != null).ToListAsync(ct))
            .Where(l => l.CertificateIds.Contains(certificate.Id))
            .ToList();
}
