using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Http;

/// <summary>Optimistic concurrency: every resource answers with an ETag, and If-Match with a stale one gets 412.</summary>
public static class ETags
{
    public static void CheckIfMatch(string? ifMatch, Resource resource)
    {
        if (ifMatch is null)
        {
            return;
        }

        var tags = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // RFC 9110 13.1.1: If-Match compares strongly, so a weak tag never matches, not even W/ of the current one.
        if (!tags.Any(tag => tag == "*" || tag == resource.ETag))
        {
            throw ProblemException.PreconditionFailed($"If-Match does not match the current ETag {resource.ETag}: the resource has changed since it was read.");
        }
    }

    public static T WithETag<T>(this HttpContext http, string etag, T result)
    {
        http.Response.Headers.ETag = etag;
        return result;
    }

    public static Ok<T> Ok<T>(this HttpContext http, Versioned<T> versioned) => http.WithETag(versioned.ETag, TypedResults.Ok(versioned.Value));

    public static Created<T> Created<T>(this HttpContext http, string location, Versioned<T> versioned) =>
        http.WithETag(versioned.ETag, TypedResults.Created(location, versioned.Value));
}
