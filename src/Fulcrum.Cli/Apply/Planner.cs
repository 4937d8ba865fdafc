using System.Text.Json.Nodes;
using Fulcrum.Cli.Commands;
using Fulcrum.Cli.Connection;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Apply;

/// <summary>One write of a plan: what it does, in words, and the request that does it.</summary>
public sealed record Step(string Text, Func<CancellationToken, Task> RunAsync);

/// <summary>
/// Compares a document with the server's load balancers and lists the writes that make them match. Each resource
/// the document names is merged onto the current one (RFC 7396: fields left out keep their value, null clears
/// one); children the document leaves out of a load balancer are deleted.
/// </summary>
public sealed class Planner(FulcrumClient client)
{
    private readonly List<Step> _steps = [];

    public async Task<IReadOnlyList<Step>> PlanAsync(JsonNode? document, CancellationToken ct)
    {
        if (document is not JsonObject root || root[LoadBalancerDocument.Root] is not JsonArray loadBalancers)
        {
            throw new CliException(ExitCodes.Usage, $"the document must hold a list \"{LoadBalancerDocument.Root}\".");
        }

        foreach (var (entry, i) in loadBalancers.Select((e, i) => (e, i)))
        {
            if (entry is not JsonObject lb || (string?)lb["name"] is not { Length: > 0 })
            {
                throw new CliException(ExitCodes.Usage, $"{LoadBalancerDocument.Root}[{i}] needs a name.");
            }

            await PlanLoadBalancerAsync(lb, ct);
        }

        return _steps;
    }

    private async Task PlanLoadBalancerAsync(JsonObject desired, CancellationToken ct)
    {
        var name = (string)desired["name"]!;
        var request = JsonTree.Without(desired, "project", "cluster", LoadBalancerDocument.Groups, LoadBalancerDocument.Listeners);
        string? projectId = null;
        if ((string?)desired["project"] is { } project)
        {
            projectId = await ReferenceAsync("project", project, ct);
            request["projectId"] = projectId;
        }

        if ((string?)desired["cluster"] is { } cluster)
        {
            request["clusterId"] = await ReferenceAsync("cluster", cluster, ct);
        }

        var matches = (await client.ListAsync(Kinds.LoadBalancer.Path, projectId is null ? null : $"projectId={projectId}", ct))
            .Where(l => (string?)l["name"] == name).ToList();
        if (matches.Count > 1)
        {
            throw new CliException(ExitCodes.Usage, $"{matches.Count} load balancers are named \"{name}\"; name its project to pick one.");
        }

        var ids = new Ids();
        JsonObject current;
        if (matches.Count == 0)
        {
            if (projectId is null || request["clusterId"] is null)
            {
                throw new CliException(ExitCodes.Usage, $"load balancer {name} does not exist yet: give its project and cluster.");
            }

            _steps.Add(new($"+ load balancer {name}", async c => ids.LoadBalancer = (string)(await client.PostAsync(Kinds.LoadBalancer.Path, request, c))["id"]!));
            current = new JsonObject { [LoadBalancerDocument.Groups] = new JsonArray(), [LoadBalancerDocument.Listeners] = new JsonArray() };
        }
        else
        {
            ids.LoadBalancer = (string)matches[0]["id"]!;
            var before = UpdateCommand.RequestOf(Kinds.LoadBalancer, matches[0]);
            var after = JsonTree.Merge(before, request);
            AddUpdate($"load balancer {name}", Kinds.LoadBalancer, () => ids.LoadBalancer, before, after);
            current = await LoadBalancerDocument.ExportAsync(client, matches[0], ct, withIds: true);
            foreach (var group in Children(current, LoadBalancerDocument.Groups))
            {
                ids.Groups[(string)group["name"]!] = (string)group["id"]!;
            }
        }

        PlanGroups(name, desired, current, ids);
        PlanListeners(name, desired, current, ids);
        foreach (var gone in Missing(Children(current, LoadBalancerDocument.Listeners), Children(desired, LoadBalancerDocument.Listeners), Name))
        {
            _steps.Add(new($"- listener {name}/{Name(gone)}", c => client.DeleteAsync($"{Kinds.Listener.Path}/{gone["id"]}", c)));
        }

        foreach (var gone in Missing(Children(current, LoadBalancerDocument.Groups), Children(desired, LoadBalancerDocument.Groups), Name))
        {
            _steps.Add(new($"- backend group {name}/{Name(gone)}", c => client.DeleteAsync($"{Kinds.BackendGroup.Path}/{gone["id"]}", c)));
        }
    }

    private void PlanGroups(string lbName, JsonObject desired, JsonObject current, Ids ids)
    {
        foreach (var group in Children(desired, LoadBalancerDocument.Groups))
        {
            var groupName = Name(group);
            var label = $"{lbName}/{groupName}";
            var existing = Children(current, LoadBalancerDocument.Groups).FirstOrDefault(g => Name(g) == groupName);
            var fields = JsonTree.Without(group, LoadBalancerDocument.Backends);
            if (existing is null)
            {
                _steps.Add(new($"+ backend group {label}", async c =>
                {
                    var body = fields.DeepClone().AsObject();
                    body["loadBalancerId"] = ids.LoadBalancer;
                    ids.Groups[groupName] = (string)(await client.PostAsync(Kinds.BackendGroup.Path, body, c))["id"]!;
                }));
            }
            else
            {
                var before = JsonTree.Without(existing, "id", LoadBalancerDocument.Backends);
                AddUpdate($"backend group {label}", Kinds.BackendGroup, () => ids.Groups[groupName], before, JsonTree.Merge(before, fields), r => r["loadBalancerId"] = ids.LoadBalancer);
            }

            var currentBackends = existing is null ? [] : Children(existing, LoadBalancerDocument.Backends);
            foreach (var backend in Children(group, LoadBalancerDocument.Backends))
            {
                var key = LoadBalancerDocument.BackendKey(backend);
                var match = currentBackends.FirstOrDefault(b => LoadBalancerDocument.BackendKey(b) == key);
                if (match is null)
                {
                    _steps.Add(new($"+ backend {label}/{key}", c =>
                    {
                        var body = backend.DeepClone().AsObject();
                        body["backendGroupId"] = ids.Groups[groupName];
                        return client.PostAsync(Kinds.Backend.Path, body, c);
                    }));
                }
                else
                {
                    var before = JsonTree.Without(match, "id");
                    AddUpdate($"backend {label}/{key}", Kinds.Backend, () => (string)match["id"]!, before, JsonTree.Merge(before, backend), r => r["backendGroupId"] = ids.Groups[groupName]);
                }
            }

            foreach (var gone in Missing(currentBackends, Children(group, LoadBalancerDocument.Backends), LoadBalancerDocument.BackendKey))
            {
                _steps.Add(new($"- backend {label}/{LoadBalancerDocument.BackendKey(gone)}", c => client.DeleteAsync($"{Kinds.Backend.Path}/{gone["id"]}", c)));
            }
        }
    }

    private void PlanListeners(string lbName, JsonObject desired, JsonObject current, Ids ids)
    {
        var groupNames = Children(desired, LoadBalancerDocument.Groups).Select(Name).ToHashSet();
        foreach (var listener in Children(desired, LoadBalancerDocument.Listeners))
        {
            var listenerName = Name(listener);
            var label = $"{lbName}/{listenerName}";
            CheckGroup(groupNames, $"listener {label}: defaultBackendGroup", (string?)listener["defaultBackendGroup"]);
            var existing = Children(current, LoadBalancerDocument.Listeners).FirstOrDefault(l => Name(l) == listenerName);
            var fields = JsonTree.Without(listener, LoadBalancerDocument.Rules);
            string? listenerId = existing is null ? null : (string)existing["id"]!;
            if (existing is null)
            {
                _steps.Add(new($"+ listener {label}", async c => listenerId = (string)(await client.PostAsync(Kinds.Listener.Path, ListenerRequest(fields, ids), c))["id"]!));
            }
            else
            {
                var before = JsonTree.Without(existing, "id", LoadBalancerDocument.Rules);
                var after = JsonTree.Merge(before, fields);
                AddUpdate($"listener {label}", Kinds.Listener, () => listenerId!, before, after, r => ListenerRequest(r, ids, r));
            }

            var currentRules = existing is null ? [] : Children(existing, LoadBalancerDocument.Rules);
            foreach (var rule in Children(listener, LoadBalancerDocument.Rules))
            {
                var ruleName = Name(rule);
                CheckGroup(groupNames, $"rule {label}/{ruleName}: action.backendGroup", (string?)rule["action"]?["backendGroup"]);
                var match = currentRules.FirstOrDefault(r => Name(r) == ruleName);
                if (match is null)
                {
                    _steps.Add(new($"+ rule {label}/{ruleName}", c =>
                    {
                        var body = RuleRequest(rule.DeepClone().AsObject(), ids);
                        body["listenerId"] = listenerId;
                        return client.PostAsync(Kinds.Rule.Path, body, c);
                    }));
                }
                else
                {
                    var before = JsonTree.Without(match, "id");
                    AddUpdate($"rule {label}/{ruleName}", Kinds.Rule, () => (string)match["id"]!, before, JsonTree.Merge(before, rule), r =>
                    {
                        RuleRequest(r, ids);
                        r["listenerId"] = listenerId;
                    });
                }
            }

            foreach (var gone in Missing(currentRules, Children(listener, LoadBalancerDocument.Rules), Name))
            {
                _steps.Add(new($"- rule {label}/{Name(gone)}", c => client.DeleteAsync($"{Kinds.Rule.Path}/{gone["id"]}", c)));
            }
        }
    }

    /// <summary>The document's group names become ids once the groups exist, which for new ones is only while applying.</summary>
    private static JsonObject ListenerRequest(JsonObject fields, Ids ids, JsonObject? into = null)
    {
        var body = into ?? fields.DeepClone().AsObject();
        body["loadBalancerId"] = ids.LoadBalancer;
        if (body["defaultBackendGroup"] is { } group)
        {
            body.Remove("defaultBackendGroup");
            body["defaultBackendGroupId"] = ids.Groups[(string)group!];
        }

        return body;
    }

    private static JsonObject RuleRequest(JsonObject body, Ids ids)
    {
        if (body["action"] is JsonObject action && action["backendGroup"] is { } group)
        {
            action.Remove("backendGroup");
            action["backendGroupId"] = ids.Groups[(string)group!];
        }

        return body;
    }

    private static void CheckGroup(HashSet<string> groups, string where, string? group)
    {
        if (group is not null && !groups.Contains(group))
        {
            throw new CliException(ExitCodes.Usage, $"{where} names \"{group}\", which is not one of the load balancer's backendGroups.");
        }
    }

    /// <summary>An update step when the merged resource differs from the current one, naming every field that changes.</summary>
    private void AddUpdate(string label, ResourceKind kind, Func<string> id, JsonObject before, JsonObject after, Action<JsonObject>? complete = null)
    {
        var differences = JsonTree.Differences(before, after);
        if (differences.Count == 0)
        {
            return;
        }

        _steps.Add(new($"~ {label} ({string.Join("; ", differences)})", c =>
        {
            var body = after.DeepClone().AsObject();
            complete?.Invoke(body);
            return client.PutAsync($"{kind.Path}/{id()}", body, c);
        }));
    }

    private async Task<string> ReferenceAsync(string kind, string nameOrId, CancellationToken ct)
    {
        try
        {
            return await Resolver.IdAsync(client, kind, nameOrId, ct);
        }
        catch (CliException e) when (e.ExitCode is ExitCodes.Auth)
        {
            // A member's token may not read clusters; the document then names the cluster by id, checked by the server.
            return nameOrId;
        }
    }

    private static List<JsonObject> Children(JsonObject parent, string key) => parent[key] switch
    {
        null => [],
        JsonArray array => [.. array.Select((c, i) => c as JsonObject ?? throw new CliException(ExitCodes.Usage, $"{key}[{i}] must be a mapping."))],
        _ => throw new CliException(ExitCodes.Usage, $"{key} must be a list."),
    };

    private static IEnumerable<JsonObject> Missing(List<JsonObject> current, List<JsonObject> desired, Func<JsonObject, string> key)
    {
        var wanted = desired.Select(key).ToHashSet();
        return current.Where(c => !wanted.Contains(key(c)));
    }

    private static string Name(JsonObject item) =>
        (string?)item["name"] is { Length: > 0 } name ? name : throw new CliException(ExitCodes.Usage, $"every backend group, listener and rule needs a name: {item.ToJsonString()}");

    private sealed class Ids
    {
        public string? LoadBalancer { get; set; }

        public Dictionary<string, string> Groups { get; } = [];
    }
}
