using System.Text.Json.Nodes;

namespace Fulcrum.Cli.Apply;

/// <summary>The few tree operations apply needs: RFC 7396 merge and a field-by-field difference.</summary>
public static class JsonTree
{
    /// <summary>
    /// <paramref name="patch"/> merged into a copy of <paramref name="target"/> the way JSON Merge Patch does it:
    /// objects merge key by key, null removes, anything else replaces.
    /// </summary>
    public static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        var result = target.DeepClone().AsObject();
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonObject inner && result[key] is JsonObject existing)
            {
                result[key] = Merge(existing, inner);
            }
            else
            {
                result[key] = value.DeepClone();
            }
        }

        return result;
    }

    /// <summary>"path: old → new" for every leaf that differs.</summary>
    public static List<string> Differences(JsonNode? before, JsonNode? after, string path = "")
    {
        if (before is JsonObject a && after is JsonObject b)
        {
            return [.. a.Select(p => p.Key).Union(b.Select(p => p.Key)).SelectMany(k => Differences(a[k], b[k], path.Length == 0 ? k : $"{path}.{k}"))];
        }

        return JsonNode.DeepEquals(before, after) ? [] : [$"{path}: {Show(before)} → {Show(after)}"];
    }

    public static JsonObject Without(JsonObject source, params string[] keys)
    {
        var copy = source.DeepClone().AsObject();
        foreach (var key in keys)
        {
            copy.Remove(key);
        }

        return copy;
    }

    private static string Show(JsonNode? node) => node is null ? "(none)" : node.ToJsonString();
}
