using System.CommandLine;
using System.Net;
using Fulcrum.Cli.Connection;
using Fulcrum.Cli.Output;

namespace Fulcrum.Cli.Commands;

/// <summary>What every command shares: the connection from context, flags and environment, the output, and exit codes.</summary>
internal abstract class BaseCommand : Command
{
    protected BaseCommand(string name, string description, CliEnvironment environment, GlobalOptions options)
        : base(name, description)
    {
        Environment = environment;
        Options = options;
        SetAction(InvokeAsync);
    }

    protected CliEnvironment Environment { get; }

    protected new GlobalOptions Options { get; }

    protected abstract Task<int> ExecuteAsync(ParseResult result, CancellationToken ct);

    protected Renderer Output(ParseResult result) => new(Environment.Out, result.GetValue(Options.Output));

    protected FulcrumClient Connect(ParseResult result) => new(ResolveContext(result).Context);

    /// <summary>The context to use, and its name in the context file (null when none is saved under that name).</summary>
    protected (CliContext Context, string? Name) ResolveContext(ParseResult result)
    {
        var file = ContextFile.Load(Environment.ConfigDirectory);
        var name = result.GetValue(Options.Context) ?? Environment.Variable("FULCRUM_CONTEXT") ?? file.Current;
        CliContext? saved = null;
        if (name is not null && !file.Contexts.TryGetValue(name, out saved) && result.GetValue(Options.Context) is not null)
        {
            throw new CliException(ExitCodes.Usage, $"no context named \"{name}\" (saved: {string.Join(", ", file.Contexts.Keys)}).");
        }

        var server = result.GetValue(Options.Server) ?? NonEmpty(Environment.Variable("FULCRUM_SERVER")) ?? saved?.Server;
        var token = result.GetValue(Options.Token) ?? NonEmpty(Environment.Variable("FULCRUM_TOKEN")) ?? saved?.Token;
        if (server is null || token is null)
        {
            throw new CliException(ExitCodes.Usage, "no server or token: run `fulcrum login --server URL --token TOKEN`, or pass --server and --token.");
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new CliException(ExitCodes.Usage, $"--server must be an http:// or https:// URL, not \"{server}\".");
        }

        // A saved pin or CA belongs to the saved server, never to another one named on the command line.
        var trust = saved is not null && saved.Server == server ? saved : new CliContext(server, token);
        var fingerprint = result.GetValue(Options.Fingerprint);
        if (fingerprint is not null && ServerTrust.NormalizeFingerprint(fingerprint) is null)
        {
            throw new CliException(ExitCodes.Usage, "--server-fingerprint must be a SHA-256 fingerprint (64 hex digits, colons allowed).");
        }

        var caFile = result.GetValue(Options.CaFile);
        var context = new CliContext(
            server,
            token,
            fingerprint is not null ? ServerTrust.NormalizeFingerprint(fingerprint) : caFile is null ? trust.Fingerprint : null,
            caFile is not null ? ReadFile(caFile.FullName) : fingerprint is null ? trust.CaCertificatePem : null,
            result.GetValue(Options.Insecure) || trust.Insecure);
        if (url.Scheme == "http" && !context.Insecure && !IsLoopback(url))
        {
            throw new CliException(ExitCodes.Usage, $"{server} is plain HTTP and the token would cross the network in the clear: use https://, or --insecure.");
        }

        return (context, saved is not null ? name : null);
    }

    protected static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Failure, $"cannot read {path}: {e.Message}");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private async Task<int> InvokeAsync(ParseResult result, CancellationToken ct)
    {
        try
        {
            return await ExecuteAsync(result, ct);
        }
        catch (CliException e)
        {
            await Environment.Error.WriteLineAsync($"error: {e.Message}");
            foreach (var detail in e.Details)
            {
                await Environment.Error.WriteLineAsync($"  {detail}");
            }

            return e.ExitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ExitCodes.Failure;
        }
    }
}
