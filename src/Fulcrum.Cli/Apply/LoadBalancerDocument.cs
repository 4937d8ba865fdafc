using System.Text.Json.Nodes;
using Fulcrum.Cli.Commands;
using Fulcrum.Cli.Connection;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Apply;

/// <summary>
/// The declarative form of load balancers: each with its backend groups (and their backends) and listeners (and their
/// rules), children named rather than identified, fields spelled as in the API. <c>get lb -o yaml</c> writes it and
/// <c>apply</c> reads it.
/// </summary>
public static class LoadBalancerDocument
{
    public const string Root = "loadBalancers";
    public const string Groups = "backendGroups";
    public const string Backends = "backends";
    public const string Listeners = "listeners";
    public const string Rules = "rules";

    public static async Task<JsonObject> ExportAsync(FulcrumClient client, IEnumerable<JsonObject> loadBalancers, CancellationToken ct)
    {
        var items = new JsonArray();
        foreach (var lb in loadBalancers)
        {
            items.Add(await ExportAsync(client, lb, ct, withIds: false));
        }

        return new JsonObject { [Root] = items };
    }

    /// <summary>One load balancer's tree as it is now, in document form; with <paramref name="withIds"/> each child keeps its id, for the planner.</summary>
    public static async Task<JsonObject> ExportAsync(FulcrumClient client, JsonObject lb, CancellationToken ct, bool withIds = false)
    {
        var id = (string)lb["id"]!;
        var groups = await client.ListAsync(Kinds.BackendGroup.Path, $"loadBalancerId={id}", ct);
        var groupNames = groups.ToDictionary(g => (string)g["id"]!, g => (string)g["name"]!);
        var document = JsonTree.Without(UpdateCommand.RequestOf(Kinds.LoadBalancer, lb), "projectId", "clusterId");
        document["project"] = await NameOfAsync(client, Kinds.ProjectKind, (string)lb["projectId"]!, ct);
        document["cluster"] = await NameOfAsync(client, Kinds.ClusterKind, (string)lb["clusterId"]!, ct);

        var groupArray = new JsonArray();
        foreach (var group in groups)
        {
            var entry = Identified(withIds, group, JsonTree.Without(UpdateCommand.RequestOf(Kinds.BackendGroup, group), "loadBalancerId"));
            var backends = await client.ListAsync(Kinds.Backend.Path, $"backendGroupId={group["id"]}", ct);
            entry[Backends] = new JsonArray([.. backends.Select(b => (JsonNode)Identified(withIds, b, JsonTree.Without(UpdateCommand.RequestOf(Kinds.Backend, b), "backendGroupId")))]);
            groupArray.Add(entry);
        }

        var listenerArray = new JsonArray();
        foreach (var listener in await client.ListAsync(Kinds.Listener.Path, $"loadBalancerId={id}", ct))
        {
            var entry = Identified(withIds, listener, JsonTree.Without(UpdateCommand.RequestOf(Kinds.Listener, listener), "loadBalancerId", "defaultBackendGroupId"));
            if ((string?)listener["defaultBackendGroupId"] is { } groupId)
            {
                entry["defaultBackendGroup"] = groupNames.GetValueOrDefault(groupId, groupId);
            }

            var rules = new JsonArray();
            foreach (var rule in await client.ListAsync(Kinds.Rule.Path, $"listenerId={listener["id"]}", ct))
            {
                var ruleEntry = Identified(withIds, rule, JsonTree.Without(UpdateCommand.RequestOf(Kinds.Rule, rule), "listenerId"));
                if (ruleEntry["action"] is JsonObject action && (string?)action["backendGroupId"] is { } target)
                {
                    action.Remove("backendGroupId");
                    action["backendGroup"] = groupNames.GetValueOrDefault(target, target);
                }

                rules.Add(ruleEntry);
            }

            entry[Rules] = rules;
            listenerArray.Add(entry);
        }

        document[Groups] = groupArray;
        document[Listeners] = listenerArray;
        return document;
    }

    /// <summary>How a backend is told apart from its siblings: its name, or without one its address and port.</summary>
    public static string BackendKey(JsonObject backend) =>
        (string?)backend["name"] is { Length: > 0 } name ? name : $"{backend["address"]}:{backend["port"]}";

    private static JsonObject Identified(bool withIds, JsonObject resource, JsonObject entry)
    {
        if (withIds)
        {
            entry["id"] = resource["id"]!.DeepClone();
        }

        return entry;
    }

    private static async Task<string> NameOfAsync(FulcrumClient client, ResourceKind kind, string id, CancellationToken ct)
    {
        try
        {
            return (string)(await client.GetAsync($"{kind.Path}/{id}", ct))["name"]!;
        }
        catch (CliException e) when (e.ExitCode is ExitCodes.Auth or ExitCodes.NotFound)
        {
            // A member's token may not read the cluster; its id is as good for apply.
            return id;
        }
    }
}
