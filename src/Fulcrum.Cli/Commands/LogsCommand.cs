using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Output;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// <c>fulcrum logs listener NAME</c>: the newest lines of a listener's access log as its cluster's MASTER reported
/// them, oldest first; -o json and -o yaml give the lines whole. A verb first, like every other command.
/// </summary>
internal sealed class LogsCommand : Command
{
    public LogsCommand(CliEnvironment environment, GlobalOptions options)
        : base("logs", "Access logs: the newest lines from the node that holds the VIPs.")
    {
        Add(new ListenerLogsCommand(environment, options));
    }
}

internal sealed class ListenerLogsCommand : BaseCommand
{
    private readonly Argument<string> _id = new("name") { Description = "Name or id." };
    private readonly Option<int> _limit = new("--limit") { Description = "At most this many lines, the newest (1-500).", DefaultValueFactory = _ => 100 };

    public ListenerLogsCommand(CliEnvironment environment, GlobalOptions options)
        : base(Kinds.Listener.Name, "A listener's access log (set --access-log on the listener first).", environment, options)
    {
        foreach (var alias in Kinds.Listener.Aliases)
        {
            Aliases.Add(alias);
        }

        Add(_id);
        Add(_limit);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var id = await Resolver.IdAsync(client, Kinds.Listener.Name, result.GetValue(_id)!, ct);
        var log = await client.GetAsync($"{Kinds.Listener.Path}/{Uri.EscapeDataString(id)}/access-log?limit={result.GetValue(_limit)}", ct);
        var lines = (log["lines"] as JsonArray ?? []).Select(l => l!.AsObject()).ToList();
        var output = Output(result);
        if (output.Format is not OutputFormat.Table)
        {
            output.Structured(new JsonArray([.. lines.Select(l => l.DeepClone())]));
            return ExitCodes.Success;
        }

        output.Table(
            ["TIME", "CLIENT", "STATUS", "BACKEND", "CONNECT MS", "TOTAL MS", "BYTES IN", "BYTES OUT", "ENDED", "REQUEST"],
            [.. lines.Select(l => new List<string>
            {
                DateTimeOffset.TryParse(Renderer.Text(l["time"]), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                    ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
                    : Renderer.Text(l["time"]),
                $"{Renderer.Text(l["clientAddress"])}:{Renderer.Text(l["clientPort"])}",
                Renderer.Text(l["status"]),
                Renderer.Text(l["backendId"]),
                Renderer.Text(l["connectMs"]),
                Renderer.Text(l["totalMs"]),
                Renderer.Text(l["bytesIn"]),
                Renderer.Text(l["bytesOut"]),
                Renderer.Text(l["terminationState"]),
                $"{Renderer.Text(l["method"])} {Renderer.Text(l["uri"])}".Trim(),
            })]);
        return ExitCodes.Success;
    }
}
