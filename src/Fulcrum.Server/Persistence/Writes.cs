using Fulcrum.Core.Validation;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;

namespace Fulcrum.Server.Persistence;

/// <summary>
/// What a write brings besides its request: the ETag it is conditional on (If-Match; null for none) and the errors the
/// request's reader already found (a JSON body's unknown or mistyped fields; none when a console page builds it).
/// </summary>
public sealed record Write(string? IfMatch, ValidationErrors Errors)
{
    public static Write Unconditional() => new(null, new ValidationErrors());

    public static Write IfMatching(string etag) => new(etag, new ValidationErrors());
}

/// <summary>A resource as a caller sees it, with its id and the ETag a conditional write gives back.</summary>
public sealed record Versioned<T>(T Value, string Id, string ETag);

public static class Versioned
{
    public static Versioned<T> Of<T>(Resource resource, T value) => new(value, resource.Id, resource.ETag);
}

/// <summary>A resource written through a request of its own shape.</summary>
public interface IWritable<TRequest>
{
    TRequest ToRequest();

    void Apply(TRequest spec);

    /// <summary>
    /// What the nodes see of the resource itself — its part of the cluster's snapshot, children aside — or null for a
    /// resource no node ever sees. An update whose view is unchanged (a name, a description) moves no revision.
    /// </summary>
    object? NodeView();
}

/// <summary>The write pipeline every operation shares: find → authorize → If-Match → compare → apply → save.</summary>
public static class Writes
{
    /// <summary>
    /// The resource a write is for, tracked: 404 when the caller cannot see it, then <paramref name="authorize"/>'s
    /// 403, then 412 when the write's If-Match is stale.
    /// </summary>
    public static async Task<T> ForWriteAsync<T>(this IQueryable<T> query, string id, string kind, Write write, Action authorize, CancellationToken ct)
        where T : Resource
    {
        var resource = await query.ByIdAsync(id, kind, ct);
        authorize();
        ETags.CheckIfMatch(write.IfMatch, resource);
        return resource;
    }

    /// <summary>
    /// Applies <paramref name="spec"/> to <paramref name="resource"/> when it changes anything (an update to the same
    /// values writes nothing). <paramref name="beforeChange"/> runs only for a real change; the revision of what
    /// <paramref name="affected"/> names moves only when what the nodes see of the resource changed.
    /// </summary>
    public static async Task UpdateAsync<T, TRequest>(
        this FulcrumDbContext db, T resource, TRequest spec, Func<Task<Affected>> affected, DateTime now, CancellationToken ct, Func<Task>? beforeChange = null)
        where T : Resource, IWritable<TRequest>
    {
        if (Revisions.Same(resource.ToRequest(), spec))
        {
            return;
        }

        if (beforeChange is not null)
        {
            await beforeChange();
        }

        var seen = resource.NodeView();
        resource.Apply(spec);
        resource.Touch(now);
        await db.SaveAsync(seen is null || Revisions.Same(seen, resource.NodeView()) ? Affected.None : await affected(), ct);
    }

    /// <summary>A field set when the resource was made: an update may repeat it, not change it.</summary>
    public static void Fixed(ValidationErrors errors, string path, string? given, string current)
    {
        if (given is not null && given != current)
        {
            errors.Add(path, "cannot be changed once the resource exists.");
        }
    }

    public static Func<Task<Affected>> Moves(Affected affected) => () => Task.FromResult(affected);
}
