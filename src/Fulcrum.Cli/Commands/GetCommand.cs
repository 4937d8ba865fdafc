using System.CommandLine;
using Fulcrum.Cli.Apply;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// <c>fulcrum get KIND NAME</c>. A load balancer in JSON or YAML is printed as an apply document with its whole tree,
/// so that <c>get lb web -o yaml | fulcrum apply -f -</c> changes nothing.
/// </summary>
internal sealed class GetCommand : BaseCommand
{
    private readonly ResourceKind _kind;
    private readonly Argument<string> _id = new("name") { Description = "Name or id." };

    public GetCommand(ResourceKind kind, CliEnvironment environment, GlobalOptions options)
        : base(kind.Name, $"Show one {kind.Title}.", environment, options)
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
        var output = Output(result);
        if (_kind == Kinds.LoadBalancer && output.Format is not OutputFormat.Table)
        {
            output.Structured(await LoadBalancerDocument.ExportAsync(client, [item], ct));
        }
        else
        {
            output.Item(item);
        }

        return ExitCodes.Success;
    }
}
