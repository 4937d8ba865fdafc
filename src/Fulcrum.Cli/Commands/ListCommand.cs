using System.CommandLine;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary><c>fulcrum list KIND</c>, narrowed to one parent with its flag (<c>list listener --load-balancer web</c>).</summary>
internal sealed class ListCommand : ResourceCommand
{
    private readonly Option<string?>? _parent;

    public ListCommand(ResourceKind kind, CliEnvironment environment, GlobalOptions options)
        : base(kind, $"List {kind.Title}s.", environment, options)
    {
        if (kind.Parent is { } parent)
        {
            _parent = new Option<string?>(parent.Flag) { Description = $"Only those of this {Kinds.ByName(parent.Refers!).Title} (name or id)." };
            Add(_parent);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        string? query = null;
        if (_parent is not null && result.GetValue(_parent) is { } parent)
        {
            query = $"{Kind.Parent!.Path}={Uri.EscapeDataString(await Resolver.IdAsync(client, Kind.Parent.Refers!, parent, ct))}";
        }

        Output(result).Items(Kind, await client.ListAsync(Kind.Path, query, ct));
        return ExitCodes.Success;
    }
}
