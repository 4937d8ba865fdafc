using Fulcrum.Core.Api;
using Fulcrum.Core.Certificates;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Certificates;

/// <summary>Certificates with their private keys; the key is accepted, encrypted at rest and never returned.</summary>
public static class CertificatesApi
{
    private const string Kind = "certificate";

    public static void MapCertificatesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/certificates").WithTags("Certificates");
        group.MapPost("/", CreateAsync).Accepts<CertificateRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<CertificateRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<CertificateResponse>> CreateAsync(
        Body<CertificateRequest> body, Caller caller, FulcrumDbContext db, PrivateKeyProtector keys, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireWriter();
        var spec = (body.Value with { ProjectId = body.Value.ProjectId ?? caller.ProjectId }).Normalize(body.Errors, pemRequired: true);
        await ProjectsApi.WritableProjectAsync(db, caller, spec.ProjectId, body.Errors, ct);
        var inspected = Inspect(body, spec, time);
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
        return http.WithETag(certificate, TypedResults.Created($"/api/v1/certificates/{certificate.Id}", certificate.ToResponse()));
    }

    private static async Task<Ok<Page<CertificateResponse>>> ListAsync(Caller caller, FulcrumDbContext db, string? projectId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Certificates.AsNoTracking()).Where(c => projectId == null || c.ProjectId == projectId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, c => c.ToResponse(), ct));
    }

    private static async Task<Ok<CertificateResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var certificate = await caller.Visible(db.Certificates.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return http.WithETag(certificate, TypedResults.Ok(certificate.ToResponse()));
    }

    /// <summary>Name and description change alone; a new chain and key, given together, rotate the pair on every listener using it.</summary>
    private static async Task<Ok<CertificateResponse>> UpdateAsync(
        string id, Body<CertificateRequest> body, Caller caller, FulcrumDbContext db, PrivateKeyProtector keys, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var certificate = await caller.Visible(db.Certificates).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, certificate);
        Fulcrum.Server.LoadBalancers.LoadBalancersApi.Fixed(body.Errors, "projectId", body.Value.ProjectId, certificate.ProjectId);
        var spec = (body.Value with { ProjectId = certificate.ProjectId }).Normalize(body.Errors, pemRequired: false);
        var rotated = spec.CertificatePem is null ? null : Inspect(body, spec, time);
        body.Errors.ThrowIfAny();

        var rotates = rotated is not null
            && (rotated.ChainPem != certificate.ChainPem || rotated.PrivateKeyPem != keys.Unprotect(certificate.ProtectedPrivateKey));
        if (!rotates && spec.Name == certificate.Name && spec.Description == certificate.Description)
        {
            return http.WithETag(certificate, TypedResults.Ok(certificate.ToResponse()));
        }

        certificate.Name = spec.Name!;
        certificate.Description = spec.Description!;
        var affected = Affected.None;
        if (rotates)
        {
            certificate.ChainPem = rotated!.ChainPem;
            certificate.ProtectedPrivateKey = keys.Protect(rotated.PrivateKeyPem);
            certificate.Info = rotated.Info;
            foreach (var listener in await UsersAsync(db, certificate, ct))
            {
                affected.AddLoadBalancer(listener.LoadBalancerId, listener.ClusterId);
            }
        }

        certificate.Touch(time.UtcDateTime());
        await db.SaveAsync(affected, ct);
        return http.WithETag(certificate, TypedResults.Ok(certificate.ToResponse()));
    }

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var certificate = await caller.Visible(db.Certificates).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, certificate);
        var users = await UsersAsync(db, certificate, ct);
        if (users.Count > 0)
        {
            throw ProblemException.Conflict($"Certificate '{id}' is used by listener(s) {string.Join(", ", users.Select(l => l.Id))}; change or delete them first.");
        }

        db.Certificates.Remove(certificate);
        await db.SaveAsync(Affected.None, ct);
        return TypedResults.NoContent();
    }

    private static InspectedCertificate Inspect(Body<CertificateRequest> body, CertificateRequest spec, TimeProvider time)
    {
        body.Errors.ThrowIfAny();
        var inspected = CertificateInspector.Inspect(body.Errors, spec.CertificatePem!, spec.PrivateKeyPem!, time.GetUtcNow());
        body.Errors.ThrowIfAny();
        return inspected!;
    }

    /// <summary>Listeners that serve the certificate, as default or as an SNI certificate.</summary>
    private static async Task<List<Listener>> UsersAsync(FulcrumDbContext db, Certificate certificate, CancellationToken ct) =>
        (await db.Listeners.AsNoTracking().Where(l => l.ProjectId == certificate.ProjectId && l.Tls != null).ToListAsync(ct))
            .Where(l => l.CertificateIds.Contains(certificate.Id))
            .ToList();
}

/// <summary>Encrypts private keys at rest with ASP.NET Core Data Protection (key ring kept in the database).</summary>
public sealed class PrivateKeyProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Fulcrum.Certificates.PrivateKey.v1");

    public string Protect(string privateKeyPem) => _protector.Protect(privateKeyPem);

    public string Unprotect(string protectedKey) => _protector.Unprotect(protectedKey);
}
