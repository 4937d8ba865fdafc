using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Http;

public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>
    /// One page of <paramref name="query"/>, in creation order unless <paramref name="order"/> says otherwise; bad
    /// paging fields are reported with the <paramref name="errors"/> the caller's own filters found.
    /// </summary>
    public static async Task<Page<TResponse>> PageAsync<TResource, TResponse>(
        this IQueryable<TResource> query,
        int? offset,
        int? limit,
        Func<IReadOnlyList<TResource>, IReadOnlyList<TResponse>> map,
        CancellationToken cancellationToken,
        Func<IQueryable<TResource>, IOrderedQueryable<TResource>>? order = null,
        ValidationErrors? errors = null)
        where TResource : Resource
    {
        errors ??= new ValidationErrors();
        var start = Grammar.Range(errors, "offset", offset ?? 0, 0, int.MaxValue) ?? 0;
        var size = Grammar.Range(errors, "limit", limit ?? DefaultLimit, 1, MaxLimit) ?? DefaultLimit;
        errors.ThrowIfAny();

        var total = await query.CountAsync(cancellationToken);
        var ordered = order?.Invoke(query) ?? query.OrderBy(r => r.CreatedAt);
        var items = await ordered.ThenBy(r => r.Id).Skip(start).Take(size).ToListAsync(cancellationToken);
        return new Page<TResponse>(map(items), total, start, size);
    }

    public static Task<Page<TResponse>> PageAsync<TResource, TResponse>(
        this IQueryable<TResource> query,
        int? offset,
        int? limit,
        Func<TResource, TResponse> map,
        CancellationToken cancellationToken,
        Func<IQueryable<TResource>, IOrderedQueryable<TResource>>? order = null,
        ValidationErrors? errors = null)
        where TResource : Resource =>
        query.PageAsync(offset, limit, items => items.Select(map).ToList(), cancellationToken, order, errors);
}
