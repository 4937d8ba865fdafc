using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Projects;

public static class ProjectsApi
{
    public static void MapProjectsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects");
        group.MapPost("/", CreateAsync).Accepts<ProjectRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<ProjectRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<ProjectResponse>> CreateAsync(Body<ProjectRequest> body, Caller caller, ProjectOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/projects/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<ProjectResponse>>> ListAsync(Caller caller, ProjectOperations ops, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, offset, limit, ct));

    private static async Task<Ok<ProjectResponse>> GetAsync(string id, Caller caller, ProjectOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<ProjectResponse>> UpdateAsync(string id, Body<ProjectRequest> body, Caller caller, ProjectOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, ProjectOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, Write.From(http), ct);
        return TypedResults.NoContent();
    }
}
