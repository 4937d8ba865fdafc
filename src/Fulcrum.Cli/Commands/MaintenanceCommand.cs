using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// <c>fulcrum node maintenance NODE on|off [--force]</c>: a node in maintenance hands its VIPs to the other nodes and
/// takes none until it is released.
/// </summary>
internal sealed class MaintenanceCommand : BaseCommand
{
    private readonly Argument<string> _node = new("node") { Description = "The node (name or id)." };
    private readonly Argument<string> _state = new("state") { Description = "on: put the node in maintenance; off: release it." };
    private readonly Option<bool> _force = new("--force") { Description = "With on: even for the last node that can hold the cluster's VIPs (its load balancers go unserved)." };

    public MaintenanceCommand(CliEnvironment environment, GlobalOptions options)
        : base("maintenance", "Put a node in maintenance (it hands its VIPs over), or release it.", environment, options)
    {
        _state.AcceptOnlyFromAmong("on", "off");
        Add(_node);
        Add(_state);
        Add(_force);
        Validators.Add(result =>
        {
            if (result.GetValue(_force) && result.GetValue(_state) == "off")
            {
                result.AddError("--force goes with on only: releasing a node needs no force.");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var id = await Resolver.IdAsync(client, Kinds.Node.Name, result.GetValue(_node)!, ct);
        var path = $"{Kinds.Node.Path}/{Uri.EscapeDataString(id)}/maintenance";
        var on = result.GetValue(_state) == "on";
        var force = result.GetValue(_force);
        JsonNode node;
        try
        {
            node = on ? await client.PostAsync(path + (force ? "?force=true" : ""), new JsonObject(), ct) : await client.DeleteAsync(path, ct);
        }
        catch (CliException e) when (on && !force && e.ExitCode == ExitCodes.Conflict)
        {
            throw new CliException(e.ExitCode, e.Message, [.. e.Details, "to put it in maintenance anyway, run this again with --force."]);
        }

        Output(result).Message(
            node["maintenance"]?.GetValue<bool>() is true
                ? $"node {node["name"]} is in maintenance: it hands its VIPs to the other nodes and takes none until released."
                : $"node {node["name"]} is out of maintenance: it takes part in VRRP again.",
            node.AsObject().DeepClone().AsObject());
        return ExitCodes.Success;
    }
}
