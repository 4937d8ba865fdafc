using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Certificates;

/// <summary>Certificates with their private keys; the key is accepted, encrypted at rest and never returned.</summary>
public static class CertificatesApi
{
    private const string Collection = "/api/v1/certificates";

    public static void MapCertificatesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/certificates").WithTags("Certificates");
        group.MapPost("/", CreateAsync).Accepts<CertificateRequest>("application/json")
            .WithSummary("Upload a certificate with its private key");
        group.MapGet("/", ListAsync)
            .WithSummary("List certificates");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a certificate");
        group.MapPut("/{id}", UpdateAsync).Accepts<CertificateRequest>("application/json")
            .WithSummary("Replace a certificate");
        group.MapPatch("/{id}", UpdateAsync).Accepts<CertificateRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of a certificate (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a certificate");
    }

    private static async Task<Created<CertificateResponse>> CreateAsync(Body<CertificateRequest> body, Caller caller, CertificateOperations certificates, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await certificates.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<CertificateResponse>>> ListAsync(Caller caller, CertificateOperations certificates, string? projectId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await certificates.ListAsync(caller, projectId, offset, limit, ct));

    private static async Task<Ok<CertificateResponse>> GetAsync(string id, Caller caller, CertificateOperations certificates, HttpContext http, CancellationToken ct) =>
        http.Ok(await certificates.GetAsync(caller, id, ct));

    private static async Task<Ok<CertificateResponse>> UpdateAsync(string id, Edit edit, Caller caller, CertificateOperations certificates, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<CertificateRequest, CertificateResponse>(http, () => certificates.GetAsync(caller, id, ct), (request, write) => certificates.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, CertificateOperations certificates, HttpContext http, CancellationToken ct)
    {
        await certificates.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
