using System.CommandLine;
using Fulcrum.Cli.Apply;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// <c>fulcrum get KIND NAME</c>. A load balancer in JSON or YAML is printed as an apply document with its whole tree,
/// so that <c>get lb web -o yaml | fulcrum apply -f -</c> changes nothing.
/// </summary>
internal sealed class GetCommand : ResourceCommand
{
    private readonly Argument<string> _id = new("name") { Description = "Name or id." };

    public GetCommand(ResourceKind kind, CliEnvironment environment, GlobalOptions options)
        : base(kind, $"Show one {kind.Title}.", environment, options)
    {
        Add(_id);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var item = await Resolver.FindAsync(client, Kind, result.GetValue(_id)!, ct);
        var output = Output(result);
        if (Kind == Kinds.LoadBalancer && output.Format is not OutputFormat.Table)
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
