using System.CommandLine;

namespace Fulcrum.Cli.Commands;

/// <summary>The options every command takes: which server, with which token, trusted how, and the output format.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server") { Description = "The control plane's URL (overrides the context; env FULCRUM_SERVER).", Recursive = true };

    public Option<string?> Token { get; } = new("--token") { Description = "An API token (overrides the context; env FULCRUM_TOKEN).", Recursive = true };

    public Option<string?> Context { get; } = new("--context") { Description = "A saved context other than the current one.", Recursive = true };

    public Option<FileInfo?> CaFile { get; } = new("--ca-file") { Description = "Trust only certificates issued by this CA (PEM).", Recursive = true };

    public Option<string?> Fingerprint { get; } = new("--server-fingerprint") { Description = "Pin the server's certificate by its SHA-256 fingerprint.", Recursive = true };

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "Allow plain http:// to a host other than loopback, or an untrusted certificate.", Recursive = true };

    public Option<OutputFormat> Output { get; } = new("--output", "-o") { Description = "table (default), json or yaml.", Recursive = true };

    public IEnumerable<Option> All => [Server, Token, Context, CaFile, Fingerprint, Insecure, Output];
}
