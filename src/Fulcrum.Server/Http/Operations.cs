using System.Text.Json;
using Fulcrum.Core.Json;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Http;

/// <summary>A resource as an operation answers it, with the ETag a later write may send as If-Match.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>
/// What a write brings besides its request: the If-Match value (null when none was sent) and the shape errors the
/// HTTP binder already found, so that one answer names every bad field. The console sends neither.
/// </summary>
public sealed class Write(string? ifMatch = null, ValidationErrors? errors = null)
{
    public static Write None => new();

    public string? IfMatch { get; } = ifMatch;

    public ValidationErrors Errors { get; } = errors ?? new ValidationErrors();

    /// <summary>The HTTP form: every If-Match header value, and the body's shape errors.</summary>
    public static Write From(HttpContext http, ValidationErrors? errors = null) =>
        new(http.Request.Headers.IfMatch.Count == 0 ? null : string.Join(',', http.Request.Headers.IfMatch.OfType<string>()), errors);

    public static Write From<T>(HttpContext http, Body<T> body)
        where T : class => From(http, body.Errors);

    public void CheckIfMatch(Resource resource) => ETags.CheckIfMatch(IfMatch, resource);
}

/// <summary>The steps every operation on a stored resource shares: look it up, authorize, check If-Match, change, save.</summary>
public static class Operations
{
    public static Versioned<T> Versioned<T>(this Resource resource, T value) => new(value, resource.ETag);

    /// <summary>A project's resource the caller may change: 404 when they cannot see it, 403 for a viewer, 412 when stale.</summary>
    public static async Task<T> WritableAsync<T>(this IQueryable<T> query, Caller caller, string id, string kind, Write write, CancellationToken ct)
        where T : Resource, IProjectScoped
    {
        var resource = await caller.Visible(query).ByIdAsync(id, kind, ct);
        caller.RequireWriter();
        write.CheckIfMatch(resource);
        return resource;
    }

    /// <summary>A resource only admins change: 403 for anyone else, then 404, then 412 when stale.</summary>
    public static async Task<T> AdminWritableAsync<T>(this IQueryable<T> query, Caller caller, string id, string kind, Write write, CancellationToken ct)
        where T : Resource
    {
        caller.RequireAdmin();
        var resource = await query.ByIdAsync(id, kind, ct);
        write.CheckIfMatch(resource);
        return resource;
    }

    /// <summary>
    /// Applies <paramref name="spec"/> when it differs from <paramref name="before"/>; an update to the same values
    /// writes nothing. Revisions move only when what the nodes see of the resource (<paramref name="seen"/>, its
    /// snapshot projection) differs before and after: a new name moves nothing, a new weight moves its load balancer.
    /// </summary>
    public static async Task ChangeAsync<TResource, TSpec>(
        this FulcrumDbContext db,
        TResource resource,
        TSpec before,
        TSpec spec,
        Action<TResource> apply,
        Func<TResource, object?> seen,
        Func<CancellationToken, Task<Affected>> affected,
        DateTime now,
        CancellationToken ct)
        where TResource : Resource
    {
        if (Revisions.Same(before, spec))
        {
            return;
        }

        // Serialised at once: applying may change, in place, objects the projection refers to.
        var seenBefore = Seen(seen(resource));
        apply(resource);
        resource.Touch(now);
        await db.SaveAsync(seenBefore == Seen(seen(resource)) ? Affected.None : await affected(ct), ct);
    }

    private static string Seen(object? projection) => JsonSerializer.Serialize(projection, FulcrumJson.Options);

    public static Task ChangeAsync<TResource, TSpec>(
        this FulcrumDbContext db, TResource resource, TSpec before, TSpec spec, Action<TResource> apply, Func<TResource, object?> seen, Affected affected, DateTime now, CancellationToken ct)
        where TResource : Resource =>
        db.ChangeAsync(resource, before, spec, apply, seen, _ => Task.FromResult(affected), now, ct);

    /// <summary>For resources the nodes never see (projects, tokens, backend groups' display text).</summary>
    public static Task ChangeAsync<TResource, TSpec>(
        this FulcrumDbContext db, TResource resource, TSpec before, TSpec spec, Action<TResource> apply, DateTime now, CancellationToken ct)
        where TResource : Resource =>
        db.ChangeAsync(resource, before, spec, apply, _ => null, Affected.None, now, ct);

    /// <summary>A reference that places a resource (its project, its parent) is given once, at creation.</summary>
    public static void Fixed(ValidationErrors errors, string path, string? given, string current)
    {
        if (given is not null && given != current)
        {
            errors.Add(path, "cannot be changed once the resource exists.");
        }
    }
}
