using Fulcrum.Core.Validation;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.Http;

/// <summary>Optimistic concurrency: every resource answers with an ETag, and If-Match with a stale one gets 412.</summary>
public static class ETags
{
    /// <param name="ifMatch">The If-Match header's values joined by commas; null when the write is unconditional.</param>
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

    /// <summary>The write an HTTP request asks for: its If-Match and the errors its body's reader found.</summary>
    public static Write Write(this HttpContext http, ValidationErrors? bodyErrors = null) =>
        new(http.Request.Headers.IfMatch.Count == 0 ? null : string.Join(',', http.Request.Headers.IfMatch.ToArray()), bodyErrors ?? new ValidationErrors());

    public static Write Write<T>(this HttpContext http, Body<T> body)
        where T : class => http.Write(body.Errors);

    public static Ok<T> Ok<T>(this HttpContext http, Versioned<T> resource)
    {
        http.Response.Headers.ETag = resource.ETag;
        return TypedResults.Ok(resource.Value);
    }

    public static Created<T> Created<T>(this HttpContext http, string collection, Versioned<T> resource)
    {
        http.Response.Headers.ETag = resource.ETag;
        return TypedResults.Created($"{collection}/{resource.Id}", resource.Value);
    }
}
