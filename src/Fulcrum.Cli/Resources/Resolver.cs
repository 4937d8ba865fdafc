using System.Text.Json.Nodes;
using Fulcrum.Cli.Connection;

namespace Fulcrum.Cli.Resources;

/// <summary>Names or ids wherever an id is: an id is looked up directly, a name among every resource of its kind visible to the token.</summary>
public static class Resolver
{
    public static async Task<JsonObject> FindAsync(FulcrumClient client, ResourceKind kind, string nameOrId, CancellationToken ct)
    {
        try
        {
            return (await client.GetAsync($"{kind.Path}/{Uri.EscapeDataString(nameOrId)}", ct)).AsObject();
        }
        catch (CliException e) when (e.ExitCode == ExitCodes.NotFound)
        {
            var named = (await client.ListAsync(kind.Path, null, ct)).Where(i => (string?)i["name"] == nameOrId).ToList();
            return named.Count switch
            {
                1 => named[0],
                0 => throw new CliException(ExitCodes.NotFound, $"no {kind.Title} named or with id \"{nameOrId}\"."),
                _ => throw new CliException(
                    ExitCodes.Usage,
                    $"{named.Count} {kind.Title}s are named \"{nameOrId}\"; give the id of one: {string.Join(", ", named.Select(i => (string?)i["id"]))}."),
            };
        }
    }

    public static async Task<string> IdAsync(FulcrumClient client, string kindName, string nameOrId, CancellationToken ct) =>
        (string)(await FindAsync(client, Kinds.ByName(kindName), nameOrId, ct))["id"]!;
}
