namespace Fulcrum.Cli;

/// <summary>What a script can tell apart by the exit status alone; <c>fulcrum --help</c> and docs/cli.md list them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Conflict = 4;
    public const int Validation = 5;
    public const int Auth = 6;
    public const int Unreachable = 7;
    public const int Timeout = 8;

    public const string Help = """
        Exit codes:
          0  success
          1  any other failure (the server answered 5xx, a file could not be read)
          2  usage error (bad flags, an ambiguous name, no server configured)
          3  not found (404, or no resource by that name)
          4  conflict (409 or 412: a name taken, a resource in use, a concurrent change)
          5  validation (400: the server's problem details are printed field by field)
          6  authentication or permission (401, 403)
          7  server unreachable or not trusted (connection refused, TLS pin or CA mismatch)
          8  timeout (wait did not see the condition in time)
        """;
}

/// <summary>A failure the command reports on stderr and turns into its exit code.</summary>
public sealed class CliException(int exitCode, string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<string> Details { get; } = details ?? [];
}
