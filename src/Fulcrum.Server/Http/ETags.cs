using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Http;

/// <summary>Optimistic concurrency: every resource answers with an ETag, and If-Match with a stale one gets 412.</summary>
public static class ETags
{
    public static void CheckIfMatch(HttpContext http, Resource resource)
    {
        var ifMatch = http.Request.Headers.IfMatch;
        if (ifMatch.Count == 0)
        {
            return;
        }

        var tags = ifMatch.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        // RFC 9110 13.1.1: If-Match compares strongly, so a weak tag never matches, not even W/ of the current one.
        if (!tags.Any(tag => tag == "*" || tag == resource.ETag))
        {
            throw ProblemException.PreconditionFailed($"If-Match does not match the current ETag {resource.ETag}: the resource has changed since it was read.");
        }
    }

    public static T WithETag<T>(this HttpContext http, Resource resource, T result)
    {
        http.Response.Headers.ETag = resource.ETag;
        return result;
    }
}
