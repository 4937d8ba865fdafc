using System.CommandLine;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary><c>fulcrum list KIND</c>, narrowed to one parent with its flag (<c>list listener --load-balancer web</c>).</summary>
internal sealed class ListCommand : BaseCommand
{
    private readonly ResourceKind _kind;
    private readonly Option<string?>? _parent;

    public ListCommand(ResourceKind kind, CliEnvironment environment, GlobalOptions options)
        : base(kind.Name, $"List {kind.Title}s.", environment, options)
    {
        _kind = kind;
        foreach (var alias in kind.Aliases)
        {
            Aliases.Add(alias);
        }

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
            query = $"{_kind.Parent!.Path}={Uri.EscapeDataString(await Resolver.IdAsync(client, _kind.Parent.Refers!, parent, ct))}";
        }

        Output(result).Items(_kind, await client.ListAsync(_kind.Path, query, ct));
        return ExitCodes.Success;
    }
}
