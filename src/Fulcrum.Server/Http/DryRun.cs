using Fulcrum.Server.Clusters;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Http;

/// <summary>What a write with <c>?dryRun=true</c> answers: what would be stored, and what the nodes would be given.</summary>
/// <param name="Value">The resource as it would be stored (null for a delete); its ids are not kept.</param>
/// <param name="Clusters">The clusters whose revision would move.</param>
/// <param name="LoadBalancers">The load balancers whose snapshot would change (a cluster-wide change names the cluster only).</param>
public sealed record DryRunResponse(bool DryRun, object? Value, IReadOnlyList<string> Clusters, IReadOnlyList<string> LoadBalancers);

public static class DryRun
{
    /// <summary>
    /// Runs the write as usual inside a transaction that is rolled back: every check applies and every answer is the
    /// write's own, but nothing is kept, no revision moves and no agent's long poll is woken.
    /// </summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || !bool.TryParse(http.Request.Query["dryRun"], out var dryRun) || !dryRun)
        {
            return await next(context);
        }

        var db = http.RequestServices.GetRequiredService<FulcrumDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted);
        var affected = new Affected();
        db.OneRevision = affected;
        object? result;
        try
        {
            result = await next(context);
        }
        finally
        {
            db.OneRevision = null;
            await transaction.RollbackAsync(http.RequestAborted);
        }

        // Nothing was stored, so there is no version to be conditional on.
        http.Response.Headers.Remove("ETag");
        var value = result is IValueHttpResult valued ? valued.Value : null;
        return TypedResults.Ok(new DryRunResponse(true, value, [.. affected.Clusters], [.. affected.LoadBalancers.Keys.Order(StringComparer.Ordinal)]));
    }
}
