using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary><c>fulcrum create KIND --flag value ...</c>; a secret the server returns once (tokens) is printed once.</summary>
internal sealed class CreateCommand : ResourceCommand
{
    private readonly FieldOptions _fields;

    public CreateCommand(ResourceKind kind, CliEnvironment environment, GlobalOptions options)
        : base(kind, $"Create a {kind.Title}.", environment, options)
    {
        _fields = new FieldOptions(kind, this, required: true);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var request = new JsonObject();
        await _fields.ApplyAsync(result, client, request, ct);
        var created = (await client.PostAsync(Kind.Path, request, ct)).AsObject();
        Output(result).Item(created);
        return ExitCodes.Success;
    }
}
