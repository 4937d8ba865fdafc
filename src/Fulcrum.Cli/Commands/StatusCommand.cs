using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Connection;
using Fulcrum.Cli.Output;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// Clusters, nodes and load balancers at a glance, like <c>kubectl get</c>; <c>--watch</c> prints the picture again
/// each time it changes, until Ctrl-C. A token that may not read clusters and nodes sees its load balancers.
/// </summary>
internal sealed class StatusCommand : BaseCommand
{
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "Follow changes until Ctrl-C." };

    public StatusCommand(CliEnvironment environment, GlobalOptions options)
        : base("status", "Clusters, nodes (MASTER/BACKUP, applied revision) and load balancers with their status.", environment, options)
    {
        Add(_watch);
        Add(new LoadBalancerStatusCommand(environment, options));
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var format = result.GetValue(Options.Output);
        string? shown = null;
        do
        {
            var picture = await PictureAsync(client, format, ct);
            if (picture != shown)
            {
                await Environment.Out.WriteAsync(picture);
                await Environment.Out.FlushAsync(ct);
                shown = picture;
            }

            if (!result.GetValue(_watch))
            {
                break;
            }

            try
            {
                await Task.Delay(Environment.PollInterval, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        while (!ct.IsCancellationRequested);

        return ExitCodes.Success;
    }

    private static async Task<string> PictureAsync(FulcrumClient client, OutputFormat format, CancellationToken ct)
    {
        var clusters = await AdminListAsync(client, Kinds.ClusterKind, ct);
        var nodes = await AdminListAsync(client, Kinds.Node, ct);
        var loadBalancers = await client.ListAsync(Kinds.LoadBalancer.Path, null, ct);
        var clusterNames = (clusters ?? []).ToDictionary(c => (string)c["id"]!, c => (string)c["name"]!);
        string Cluster(JsonNode? id) => clusterNames.GetValueOrDefault((string?)id ?? "", (string?)id ?? "");
        var nodeNames = (nodes ?? []).ToDictionary(n => (string)n["id"]!, n => (string)n["name"]!);
        string Node(JsonNode? id) => nodeNames.GetValueOrDefault((string?)id ?? "", (string?)id ?? "");

        using var writer = new StringWriter();
        var output = new Renderer(writer, format);
        if (format is not OutputFormat.Table)
        {
            output.Structured(new JsonObject
            {
                ["clusters"] = Array(clusters),
                ["nodes"] = Array(nodes),
                ["loadBalancers"] = Array(loadBalancers),
            });
            return writer.ToString();
        }

        if (clusters is not null)
        {
            output.Table(
                ["CLUSTER", "REVISION", "MASTERS", "SPLIT BRAIN", "FAILOVER"],
                [.. clusters.Select(c => new List<string> { (string)c["name"]!, Renderer.Text(c["revision"]), Renderer.Text(c["masters"]), c["masters"] is JsonArray { Count: > 1 } ? "YES" : "", c["failover"] is JsonObject f ? $"{Node(f["fromNodeId"])} -> {Node(f["targetNodeId"])}" : "" })]);
            output.Line("");
        }

        if (nodes is not null)
        {
            output.Table(
                ["NODE", "CLUSTER", "ADDRESS", "VRRP", "APPLIED REVISION", "ONLINE", "LAST ERROR"],
                [.. nodes.Select(n => new List<string> { (string)n["name"]!, Cluster(n["clusterId"]), Renderer.Text(n["address"]), Vrrp(n), Renderer.Text(n["appliedRevision"]), Renderer.Text(n["online"]), NodeError(n) })]);
            output.Line("");
        }

        output.Table(
            ["LOAD BALANCER", "CLUSTER", "VIP", "PROVISIONING", "OPERATING", "ERROR"],
            [.. loadBalancers.Select(l => new List<string> { (string)l["name"]!, Cluster(l["clusterId"]), Renderer.Text(l["vip"]), Renderer.Text(l["provisioningStatus"]), Renderer.Text(l["operatingStatus"]), Renderer.Text(l["error"]) })]);
        return writer.ToString();
    }

    /// <summary>A node in maintenance reports FAULT: the why is shown beside it.</summary>
    private static string Vrrp(JsonObject node) =>
        Renderer.Text(node["vrrpState"]) + (node["maintenance"]?.GetValue<bool>() is true ? " (maintenance)" : "");

    /// <summary>A node's last error, marked when it is a transient failure the node keeps retrying.</summary>
    private static string NodeError(JsonObject node) =>
        node["lastErrorRetried"]?.GetValue<bool>() is true ? "retrying: " + Renderer.Text(node["lastError"]) : Renderer.Text(node["lastError"]);

    private static JsonArray? Array(List<JsonObject>? items) => items is null ? null : new JsonArray([.. items.Select(i => i.DeepClone())]);

    /// <summary>Clusters and nodes are an admin's to read; for other tokens they are left out rather than failing the status.</summary>
    private static async Task<List<JsonObject>?> AdminListAsync(FulcrumClient client, ResourceKind kind, CancellationToken ct)
    {
        try
        {
            return await client.ListAsync(kind.Path, null, ct);
        }
        catch (CliException e) when (e.ExitCode is ExitCodes.Auth)
        {
            return null;
        }
    }
}
