using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Certificates;

public static class CertificatesApi
{
    public static void MapCertificatesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/certificates").WithTags("Certificates");
        group.MapPost("/", CreateAsync).Accepts<CertificateRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<CertificateRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<CertificateResponse>> CreateAsync(Body<CertificateRequest> body, Caller caller, CertificateOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/certificates/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<CertificateResponse>>> ListAsync(Caller caller, CertificateOperations ops, string? projectId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, projectId, offset, limit, ct));

    private static async Task<Ok<CertificateResponse>> GetAsync(string id, Caller caller, CertificateOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<CertificateResponse>> UpdateAsync(string id, Body<CertificateRequest> body, Caller caller, CertificateOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, CertificateOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }
}
