using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary><c>fulcrum delete KIND NAME</c> (a join token is revoked).</summary>
internal sealed class DeleteCommand : ResourceCommand
{
    private readonly Argument<string> _id = new("name") { Description = "Name or id." };

    public DeleteCommand(ResourceKind kind, CliEnvironment environment, GlobalOptions options)
        : base(kind, $"Delete a {kind.Title}.", environment, options)
    {
        Add(_id);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var item = await Resolver.FindAsync(client, Kind, result.GetValue(_id)!, ct);
        await client.DeleteAsync($"{Kind.Path}/{item["id"]}", ct);
        var output = Output(result);
        if (output.Format is OutputFormat.Table)
        {
            output.Line($"{Kind.Title} {item["name"] ?? item["id"]} deleted.");
        }
        else
        {
            output.Structured(new JsonObject { ["deleted"] = item["id"]!.DeepClone() });
        }
        return ExitCodes.Success;
    }
}
