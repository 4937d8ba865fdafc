using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Acls;

public static class AclsApi
{
    private const string Collection = "/api/v1/acls";

    public static void MapAclsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/acls").WithTags("ACLs");
        group.MapPost("/", CreateAsync).Accepts<AclRequest>("application/json")
            .WithSummary("Create an ACL");
        group.MapGet("/", ListAsync)
            .WithSummary("List ACLs");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get an ACL");
        group.MapPut("/{id}", UpdateAsync).Accepts<AclRequest>("application/json")
            .WithSummary("Replace an ACL");
        group.MapPatch("/{id}", UpdateAsync).Accepts<AclRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of an ACL (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete an ACL");
    }

    private static async Task<Created<AclResponse>> CreateAsync(Body<AclRequest> body, Caller caller, AclOperations acls, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await acls.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<AclResponse>>> ListAsync(Caller caller, AclOperations acls, string? projectId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await acls.ListAsync(caller, projectId, offset, limit, ct));

    private static async Task<Ok<AclResponse>> GetAsync(string id, Caller caller, AclOperations acls, HttpContext http, CancellationToken ct) =>
        http.Ok(await acls.GetAsync(caller, id, ct));

    private static async Task<Ok<AclResponse>> UpdateAsync(string id, Edit edit, Caller caller, AclOperations acls, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<AclRequest, AclResponse>(http, () => acls.GetAsync(caller, id, ct), (request, write) => acls.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, AclOperations acls, HttpContext http, CancellationToken ct)
    {
        await acls.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
