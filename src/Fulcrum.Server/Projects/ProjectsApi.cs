using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Projects;

public static class ProjectsApi
{
    private const string Kind = "project";

    public static void MapProjectsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects");
        group.MapPost("/", CreateAsync).Accepts<ProjectRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<ProjectRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<ProjectResponse>> CreateAsync(Body<ProjectRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireAdmin();
        var spec = body.Value.Normalize(body.Errors);
        body.Errors.ThrowIfAny();

        var now = time.UtcDateTime();
        var project = new Project { Id = Ids.New("prj"), Name = spec.Name!, CreatedAt = now, UpdatedAt = now };
        project.Apply(spec);
        db.Projects.Add(project);
        await db.SaveAsync(Affected.None, ct);
        return http.WithETag(project, TypedResults.Created($"/api/v1/projects/{project.Id}", project.ToResponse()));
    }

    private static async Task<Ok<Page<ProjectResponse>>> ListAsync(Caller caller, FulcrumDbContext db, int? offset, int? limit, CancellationToken ct)
    {
        var query = db.Projects.AsNoTracking().Where(p => caller.IsAdmin || p.Id == caller.ProjectId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, p => p.ToResponse(), ct));
    }

    private static async Task<Ok<ProjectResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var project = await Visible(db, caller).ByIdAsync(id, Kind, ct);
        return http.WithETag(project, TypedResults.Ok(project.ToResponse()));
    }

    private static async Task<Ok<ProjectResponse>> UpdateAsync(string id, Body<ProjectRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var project = await Visible(db, caller).ByIdAsync(id, Kind, ct);
        caller.RequireAdmin();
        ETags.CheckIfMatch(http, project);
        var spec = body.Value.Normalize(body.Errors);
        body.Errors.ThrowIfAny();

        if (!Revisions.Same(project.ToRequest(), spec))
        {
            project.Apply(spec);
            project.Touch(time.UtcDateTime());
            await db.SaveAsync(Affected.None, ct);
        }

        return http.WithETag(project, TypedResults.Ok(project.ToResponse()));
    }

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var project = await Visible(db, caller).ByIdAsync(id, Kind, ct);
        caller.RequireAdmin();
        ETags.CheckIfMatch(http, project);

        var inUse = new List<string>();
        if (await db.LoadBalancers.AnyAsync(lb => lb.ProjectId == id, ct))
        {
            inUse.Add("load balancers");
        }

        if (await db.Certificates.AnyAsync(c => c.ProjectId == id, ct))
        {
            inUse.Add("certificates");
        }

        if (await db.Acls.AnyAsync(a => a.ProjectId == id, ct))
        {
            inUse.Add("ACLs");
        }

        if (await db.ApiTokens.AnyAsync(t => t.ProjectId == id, ct))
        {
            inUse.Add("tokens");
        }

        if (inUse.Count > 0)
        {
            throw ProblemException.Conflict($"Project '{id}' still has {string.Join(", ", inUse)}; delete them first.");
        }

        db.Projects.Remove(project);
        await db.SaveAsync(Affected.None, ct);
        return TypedResults.NoContent();
    }

    private static IQueryable<Project> Visible(FulcrumDbContext db, Caller caller) =>
        db.Projects.Where(p => caller.IsAdmin || p.Id == caller.ProjectId);

    /// <summary>The project a caller may put things into; 404 when they cannot see it, 403 for a viewer.</summary>
    public static async Task<string?> WritableProjectAsync(FulcrumDbContext db, Caller caller, string? projectId, Fulcrum.Core.Validation.ValidationErrors errors, CancellationToken ct)
    {
        projectId ??= caller.ProjectId;
        if (projectId is null)
        {
            errors.Add("projectId", "is required.");
            return null;
        }

        if (!caller.CanSee(projectId) || !await db.Projects.AnyAsync(p => p.Id == projectId, ct))
        {
            errors.Add("projectId", $"there is no project with id '{(projectId.Length > 40 ? projectId[..40] + "…" : projectId)}'.");
            return null;
        }

        caller.RequireWriter();
        return projectId;
    }
}
