using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Projects;

public static class ProjectsApi
{
    private const string Collection = "/api/v1/projects";

    public static void MapProjectsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects");
        group.MapPost("/", CreateAsync).Accepts<ProjectRequest>("application/json")
            .WithSummary("Create a project");
        group.MapGet("/", ListAsync)
            .WithSummary("List projects");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a project");
        group.MapGet("/{id}/usage", UsageAsync)
            .WithSummary("What a project holds against its quotas");
        group.MapPut("/{id}", UpdateAsync).Accepts<ProjectRequest>("application/json")
            .WithSummary("Replace a project");
        group.MapPatch("/{id}", UpdateAsync).Accepts<ProjectRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of a project (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a project");
    }

    private static async Task<Created<ProjectResponse>> CreateAsync(Body<ProjectRequest> body, Caller caller, ProjectOperations projects, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await projects.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<ProjectResponse>>> ListAsync(Caller caller, ProjectOperations projects, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await projects.ListAsync(caller, offset, limit, ct));

    private static async Task<Ok<ProjectResponse>> GetAsync(string id, Caller caller, ProjectOperations projects, HttpContext http, CancellationToken ct) =>
        http.Ok(await projects.GetAsync(caller, id, ct));

    private static async Task<Ok<ProjectUsage>> UsageAsync(string id, Caller caller, ProjectOperations projects, CancellationToken ct) =>
        TypedResults.Ok(await projects.UsageAsync(caller, id, ct));

    private static async Task<Ok<ProjectResponse>> UpdateAsync(string id, Edit edit, Caller caller, ProjectOperations projects, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<ProjectRequest, ProjectResponse>(http, () => projects.GetAsync(caller, id, ct), (request, write) => projects.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, ProjectOperations projects, HttpContext http, CancellationToken ct)
    {
        await projects.DeleteAsync(caller, id, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
