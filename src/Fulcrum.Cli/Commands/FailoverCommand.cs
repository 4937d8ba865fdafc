using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// <c>fulcrum cluster failover NAME [--to NODE]</c>: moves the VIPs off the MASTER now. The server answers once the
/// nodes have been told; the move itself takes a moment (<c>fulcrum status</c> shows it).
/// </summary>
internal sealed class FailoverCommand : BaseCommand
{
    private readonly Argument<string> _cluster = new("cluster") { Description = "The cluster (name or id)." };
    private readonly Option<string?> _to = new("--to") { Description = "The node of the cluster to take the VIPs (name or id); default: the available node of highest priority." };

    public FailoverCommand(CliEnvironment environment, GlobalOptions options)
        : base("failover", "Move the VIPs off the cluster's MASTER now, to another node.", environment, options)
    {
        Add(_cluster);
        Add(_to);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var cluster = await Resolver.FindAsync(client, Kinds.ClusterKind, result.GetValue(_cluster)!, ct);
        // --to is looked for among this cluster's nodes only: a node of another cluster cannot take its VIPs.
        var nodes = await client.ListAsync(Kinds.Node.Path, $"clusterId={Uri.EscapeDataString((string)cluster["id"]!)}", ct);
        var body = new JsonObject();
        if (result.GetValue(_to) is { } to)
        {
            body["targetNodeId"] = Target(nodes, (string)cluster["name"]!, to);
        }

        var accepted = await client.PostAsync($"{Kinds.ClusterKind.Path}/{cluster["id"]}/failover", body, ct);
        var failover = accepted["failover"]!;
        string Name(JsonNode? id) => (string?)nodes.FirstOrDefault(n => (string?)n["id"] == (string?)id)?["name"] ?? (string)id!;
        Output(result).Message(
            $"cluster {cluster["name"]}: failing over from {Name(failover["fromNodeId"])} to {Name(failover["targetNodeId"])}; `fulcrum status` shows when it is done.",
            accepted.AsObject().DeepClone().AsObject());
        return ExitCodes.Success;
    }

    private static string Target(List<JsonObject> nodes, string cluster, string nameOrId)
    {
        var matching = nodes.Where(n => (string?)n["id"] == nameOrId).ToList() is [_] byId ? byId : [.. nodes.Where(n => (string?)n["name"] == nameOrId)];
        return matching switch
        {
            [var node] => (string)node["id"]!,
            [] => throw new CliException(ExitCodes.NotFound, $"cluster {cluster} has no node named or with id \"{nameOrId}\"."),
            _ => throw new CliException(
                ExitCodes.Usage,
                $"{matching.Count} nodes of cluster {cluster} are named \"{nameOrId}\"; give the id of one: {string.Join(", ", matching.Select(n => (string?)n["id"]))}."),
        };
    }
}
