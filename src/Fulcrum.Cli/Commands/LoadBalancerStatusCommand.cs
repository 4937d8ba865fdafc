using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Output;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// <c>fulcrum status lb NAME</c>: a load balancer's status tree — listeners, rules, the backend groups they send to and
/// the backends, each with its provisioning and operating status, a backend with its health.
/// </summary>
internal sealed class LoadBalancerStatusCommand : BaseCommand
{
    private readonly Argument<string> _id = new("name") { Description = "Name or id." };

    public LoadBalancerStatusCommand(CliEnvironment environment, GlobalOptions options)
        : base(Kinds.LoadBalancer.Name, "A load balancer's status tree: listeners, rules, backend groups and backends.", environment, options)
    {
        foreach (var alias in Kinds.LoadBalancer.Aliases)
        {
            Aliases.Add(alias);
        }

        Add(_id);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var id = await Resolver.IdAsync(client, Kinds.LoadBalancer.Name, result.GetValue(_id)!, ct);
        var status = (await client.GetAsync($"{Kinds.LoadBalancer.Path}/{Uri.EscapeDataString(id)}/status", ct)).AsObject();
        var output = Output(result);
        if (output.Format is not OutputFormat.Table)
        {
            output.Structured(status);
            return ExitCodes.Success;
        }

        var error = status["error"] is { } message ? $"  error: {Renderer.Text(message)}" : "";
        output.Tree(new TreeItem(
            $"load balancer {Label(status)}  {Statuses(status)}  applied on {Renderer.Text(status["appliedNodes"])} of {Renderer.Text(status["onlineNodes"])} online nodes{error}",
            [
                .. Items(status["listeners"]).Select(Listener),
                .. Items(status["unusedBackendGroups"]).Select(g => Group(g, "  (no listener sends to it)")),
            ]));
        return ExitCodes.Success;
    }

    private static TreeItem Listener(JsonObject listener)
    {
        var groups = Items(listener["backendGroups"]).ToDictionary(g => (string)g["id"]!, g => Renderer.Text(g["name"]));
        return new TreeItem(
            $"listener {Label(listener)}  {Renderer.Text(listener["protocol"])}:{Renderer.Text(listener["port"])}  {Statuses(listener)}",
            [
                .. Items(listener["rules"]).Select(rule => new TreeItem(
                    $"rule {Label(rule)}  #{Renderer.Text(rule["position"])} {Renderer.Text(rule["action"])}"
                        + (rule["backendGroupId"] is { } target ? $" to {groups.GetValueOrDefault((string)target!, (string)target!)}" : "")
                        + $"  {Statuses(rule)}",
                    [])),
                .. Items(listener["backendGroups"]).Select(g => Group(g, "")),
            ]);
    }

    private static TreeItem Group(JsonObject group, string note) => new(
        $"backend group {Label(group)}  {Statuses(group)}{note}",
        [
            .. Items(group["backends"]).Select(b => new TreeItem(
                $"backend {Label(b)}  {Renderer.Text(b["address"])}:{Renderer.Text(b["port"])}  {Renderer.Text(b["adminState"])}  health {Renderer.Text(b["health"])}  {Statuses(b)}",
                [])),
        ]);

    private static string Label(JsonObject item) =>
        Renderer.Text(item["name"]) is { Length: > 0 } name ? $"{name} ({Renderer.Text(item["id"])})" : Renderer.Text(item["id"]);

    private static string Statuses(JsonObject item) => $"{Renderer.Text(item["provisioningStatus"])} {Renderer.Text(item["operatingStatus"])}";

    private static IEnumerable<JsonObject> Items(JsonNode? array) => (array as JsonArray ?? []).Select(i => i!.AsObject());
}
