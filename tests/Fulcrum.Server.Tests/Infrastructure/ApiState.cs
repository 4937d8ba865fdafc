using System.Net;
using System.Text.Json.Nodes;

namespace Fulcrum.Server.Tests.Infrastructure;

/// <summary>
/// Everything the API can show an admin — every list, and every cluster's snapshot with its revision — so that a
/// test can prove that a series of refused requests wrote nothing at all.
/// </summary>
public static class ApiState
{
    private static readonly string[] Lists =
        ["projects", "tokens", "clusters", "join-tokens", "nodes", "load-balancers", "listeners", "rules", "backend-groups", "backends", "certificates", "acls"];

    public static async Task<IReadOnlyDictionary<string, string>> CaptureAsync(ApiClient admin)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var list in Lists)
        {
            var text = await ReadAsync(admin, $"{list}?limit=500");
            var total = JsonNode.Parse(text)!["total"]!.GetValue<int>();
            Assert.True(total <= 500, $"{list} has {total} items, more than one page: the captured state would be incomplete.");
            state[list] = text;
        }

        foreach (var cluster in JsonNode.Parse(state["clusters"])!["items"]!.AsArray())
        {
            var id = cluster!["id"]!.GetValue<string>();
            state[$"clusters/{id}/snapshot"] = await ReadAsync(admin, $"clusters/{id}/snapshot");
        }

        return state;
    }

    /// <summary>Fails naming every part of the state that differs.</summary>
    public static void AssertUnchanged(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, string context)
    {
        var changed = Differences(before, after);
        Assert.True(changed.Count == 0, $"{context} changed the stored state:\n{string.Join("\n", changed)}");
    }

    /// <summary>One line per part of the state that differs, showing it before and after.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys)
            .Where(key => before.GetValueOrDefault(key) != after.GetValueOrDefault(key))
            .Select(key => $"{key} changed:\n  before: {Shorten(before.GetValueOrDefault(key))}\n  after:  {Shorten(after.GetValueOrDefault(key))}")
            .ToList();

    private static async Task<string> ReadAsync(ApiClient admin, string path)
    {
        var response = await admin.GetAsync(path);
        await response.ExpectAsync(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Shorten(string? text) => text is null ? "(absent)" : text.Length > 2000 ? text[..2000] + "…" : text;
}
