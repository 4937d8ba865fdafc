using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Projects;

/// <summary>Projects' reads and writes, for the REST endpoints and the console alike: an admin's to shape.</summary>
public sealed class ProjectOperations(FulcrumDbContext db, TimeProvider time, AuditLog audit)
{
    private const string Kind = "project";

    public async Task<Page<ProjectResponse>> ListAsync(Caller caller, int? offset, int? limit, CancellationToken ct) =>
        await Visible(caller).AsNoTracking().PageAsync(offset, limit, p => p.ToResponse(), ct);

    public async Task<Versioned<ProjectResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var project = await Visible(caller).AsNoTracking().ByIdAsync(id, Kind, ct);
        return Versioned.Of(project, project.ToResponse());
    }

    /// <summary>What the project holds against its quotas; seen like the project itself.</summary>
    public async Task<ProjectUsage> UsageAsync(Caller caller, string id, CancellationToken ct)
    {
        var project = await Visible(caller).AsNoTracking().ByIdAsync(id, Kind, ct);
        return await Quotas.UsageAsync(db, project.Id, ct);
    }

    public Task<Versioned<ProjectResponse>> CreateAsync(Caller caller, ProjectRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.Project, null, async () =>
        {
            caller.RequireAdmin();
            var spec = request.Normalize(write.Errors);
            write.Errors.ThrowIfAny();

            var now = time.UtcDateTime();
            var project = new Project { Id = Ids.New("prj"), Name = spec.Name!, CreatedAt = now, UpdatedAt = now };
            project.Apply(spec);
            db.Projects.Add(project);
            await db.SaveAsync(Affected.None, ct);
            return Versioned.Of(project, project.ToResponse());
        });

    public Task<Versioned<ProjectResponse>> UpdateAsync(Caller caller, string id, ProjectRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.Project, id, async () =>
        {
            var project = await Visible(caller).ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
            var spec = request.Normalize(write.Errors);
            write.Errors.ThrowIfAny();
            await db.UpdateAsync(project, spec, Writes.Moves(Affected.None), time.UtcDateTime(), ct);
            return Versioned.Of(project, project.ToResponse());
        });

    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.Project, id, async () =>
        {
            var project = await Visible(caller).ForWriteAsync(id, Kind, write, caller.RequireAdmin, ct);
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
        });

    /// <summary>The project a caller may put things into; 404 when they cannot see it, 403 for a viewer.</summary>
    public static async Task<string?> WritableProjectAsync(FulcrumDbContext db, Caller caller, string? projectId, ValidationErrors errors, CancellationToken ct)
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

    private IQueryable<Project> Visible(Caller caller) => db.Projects.Where(p => caller.IsAdmin || p.Id == caller.ProjectId);
}
