using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests;

/// <summary>What an API user sees of a failed request: the JSON paths that carry an error, in a stable order.</summary>
internal static class ErrorPaths
{
    public static string[] Paths(this ValidationErrors errors) =>
        [.. errors.ToDictionary().Keys.Order(StringComparer.Ordinal)];

    public static string[] MessagesAt(this ValidationErrors errors, string path) =>
        errors.ToDictionary().TryGetValue(path, out var messages) ? messages : [];
}
