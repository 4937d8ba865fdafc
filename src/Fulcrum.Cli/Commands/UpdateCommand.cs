using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// <c>fulcrum update KIND NAME --flag value ...</c>: reads the resource, changes only the flags given, and writes it
/// back, so that fields not named keep their values.
/// </summary>
internal sealed class UpdateCommand : ResourceCommand
{
    private readonly FieldOptions _fields;
    private readonly Argument<string> _id = new("name") { Description = "Name or id." };

    public UpdateCommand(ResourceKind kind, CliEnvironment environment, GlobalOptions options)
        : base(kind, $"Change a {kind.Title}.", environment, options)
    {
        Add(_id);
        _fields = new FieldOptions(kind, this, required: false);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var current = await Resolver.FindAsync(client, Kind, result.GetValue(_id)!, ct);
        var request = RequestOf(Kind, current);
        await _fields.ApplyAsync(result, client, request, ct);
        var updated = (await client.PutAsync($"{Kind.Path}/{current["id"]}", request, ct)).AsObject();
        Output(result).Item(updated);
        return ExitCodes.Success;
    }

    /// <summary>The writable part of a resource as read: the fields of its request record.</summary>
    public static JsonObject RequestOf(ResourceKind kind, JsonObject current)
    {
        var request = new JsonObject();
        foreach (var field in kind.RequestFields)
        {
            if (current[field] is { } value)
            {
                request[field] = value.DeepClone();
            }
        }

        return request;
    }
}
