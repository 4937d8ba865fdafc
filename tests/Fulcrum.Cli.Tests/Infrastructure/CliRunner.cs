namespace Fulcrum.Cli.Tests.Infrastructure;

/// <summary>What one run of <c>fulcrum</c> printed and how it ended.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs the CLI in-process with a config directory of its own (one per test), against <see cref="CliServer"/>.</summary>
public sealed class CliRunner(CliServer server) : IDisposable
{
    public string ConfigHome { get; } = Directory.CreateTempSubdirectory("fulcrum-cli-home-").FullName;

    public CliServer Server { get; } = server;

    /// <summary>Runs with the server, the admin token and the pin given as flags.</summary>
    public Task<CliResult> RunAsync(params string[] args) =>
        RawAsync([.. args, "--server", Server.Url, "--token", Server.AdminToken, "--server-fingerprint", Server.Fingerprint]);

    /// <summary>Runs with exactly these arguments.</summary>
    public async Task<CliResult> RawAsync(string[] args, string input = "", IReadOnlyDictionary<string, string>? variables = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            In = new StringReader(input),
            Variable = name => name == "XDG_CONFIG_HOME" ? ConfigHome : variables?.GetValueOrDefault(name),
            PollInterval = TimeSpan.FromMilliseconds(50),
        };
        var exit = await CliApp.RunAsync(args, environment);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public async Task<CliResult> SucceedsAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public void Dispose() => Directory.Delete(ConfigHome, recursive: true);
}
