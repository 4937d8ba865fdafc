using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Connection;

namespace Fulcrum.Cli.Commands;

/// <summary>Lists the saved contexts, or makes one current.</summary>
internal sealed class ContextCommand : BaseCommand
{
    private readonly Argument<string?> _use = new("name") { Description = "Make this context the current one.", Arity = ArgumentArity.ZeroOrOne };

    public ContextCommand(CliEnvironment environment, GlobalOptions options)
        : base("context", "List the saved contexts, or switch to one.", environment, options)
    {
        Add(_use);
    }

    protected override Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        var file = ContextFile.Load(Environment.ConfigDirectory);
        if (result.GetValue(_use) is { } name)
        {
            if (!file.Contexts.ContainsKey(name))
            {
                throw new CliException(ExitCodes.NotFound, $"no context named \"{name}\".");
            }

            (file with { Current = name }).Save(Environment.ConfigDirectory);
            Output(result).Message($"Switched to context \"{name}\".", new JsonObject { ["context"] = name });
            return Task.FromResult(ExitCodes.Success);
        }

        Output(result).Table(
            ["CURRENT", "NAME", "SERVER", "TRUST"],
            [.. file.Contexts.Select(c => new List<string>
            {
                c.Key == file.Current ? "*" : "",
                c.Key,
                c.Value.Server,
                c.Value.Fingerprint is not null ? "pinned" : c.Value.CaCertificatePem is not null ? "ca-file" : c.Value.Insecure ? "insecure" : "system",
            })]);
        return Task.FromResult(ExitCodes.Success);
    }
}
