using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary><c>fulcrum delete KIND NAME</c> (a join token is revoked).</summary>
internal sealed class DeleteCommand : BaseCommand
{
    private readonly ResourceKind _kind;
    private readonly Argument<string> _id = new("name") { Description = "Name or id." };

    public DeleteCommand(ResourceKind kind, CliEnvironment environment, GlobalOptions options)
        : base(kind.Name, $"Delete a {kind.Title}.", environment, options)
    {
        _kind = kind;
        foreach (var alias in kind.Aliases)
        {
            Aliases.Add(alias);
        }

        Add(_id);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var item = await Resolver.FindAsync(client, _kind, result.GetValue(_id)!, ct);
        await client.DeleteAsync($"{_kind.Path}/{item["id"]}", ct);
        var output = Output(result);
        if (output.Format is OutputFormat.Table)
        {
            output.Line($"{_kind.Title} {item["name"] ?? item["id"]} deleted.");
        }
        else
        {
            output.Structured(new JsonObject { ["deleted"] = item["id"]!.DeepClone() });
        }
        return ExitCodes.Success;
    }
}
