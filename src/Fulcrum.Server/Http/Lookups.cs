using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Http;

public static class Lookups
{
    /// <summary>The resource with <paramref name="id"/> among those the query can see, or a 404 naming it.</summary>
    public static async Task<T> ByIdAsync<T>(this IQueryable<T> query, string id, string kind, CancellationToken cancellationToken)
        where T : Resource =>
        await query.SingleOrDefaultAsync(item => item.Id == id, cancellationToken) ?? throw ProblemException.NotFound(kind, id);

    /// <summary>
    /// Like <see cref="ByIdAsync{T}"/> for an id given in a request body: a missing reference is a bad field (400)
    /// naming that field, not a missing resource.
    /// </summary>
    public static async Task<T?> ReferenceAsync<T>(this IQueryable<T> query, string? id, Fulcrum.Core.Validation.ValidationErrors errors, string path, string kind, CancellationToken cancellationToken)
        where T : Resource
    {
        if (id is null)
        {
            return null;
        }

        var found = await query.SingleOrDefaultAsync(item => item.Id == id, cancellationToken);
        if (found is null)
        {
            errors.Add(path, $"there is no {kind} with id '{Truncate(id)}'.");
        }

        return found;
    }

    private static string Truncate(string id) => id.Length > 40 ? id[..40] + "…" : id;
}
