using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Connection;

namespace Fulcrum.Cli.Commands;

/// <summary>Checks the server and the token, then saves them as a context and makes it the current one.</summary>
internal sealed class LoginCommand : BaseCommand
{
    private readonly Option<string?> _name = new("--name") { Description = "The context's name (default: the server's host)." };

    public LoginCommand(CliEnvironment environment, GlobalOptions options)
        : base("login", "Check a server and a token, and save them as the current context.", environment, options)
    {
        Add(_name);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        if (result.GetValue(Options.Server) is null || (result.GetValue(Options.Token) ?? Environment.Variable("FULCRUM_TOKEN")) is null)
        {
            throw new CliException(ExitCodes.Usage, "login needs --server and --token (or FULCRUM_TOKEN).");
        }

        var (context, _) = ResolveContext(result);
        using (var client = new FulcrumClient(context))
        {
            // Any authenticated read proves both the server (and its pin) and the token.
            await client.GetAsync("projects?limit=1", ct);
        }

        var name = result.GetValue(_name) ?? new Uri(context.Server).Authority;
        var file = ContextFile.Load(Environment.ConfigDirectory);
        file.Contexts[name] = context;
        (file with { Current = name }).Save(Environment.ConfigDirectory);
        Output(result).Message(
            $"Logged in to {context.Server} as context \"{name}\" (saved in {Path.Combine(Environment.ConfigDirectory, ContextFile.FileName)}).",
            new JsonObject { ["context"] = name, ["server"] = context.Server });
        return ExitCodes.Success;
    }
}
