namespace Fulcrum.Cli;

/// <summary>The process's surroundings, replaceable so that tests run commands in-process.</summary>
public sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public TextReader In { get; init; } = TextReader.Null;

    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>How long <c>status --watch</c> and <c>wait</c> pause between two reads of the server.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static CliEnvironment Console() => new() { Out = System.Console.Out, Error = System.Console.Error, In = System.Console.In };

    /// <summary>$XDG_CONFIG_HOME/fulcrum, or ~/.config/fulcrum.</summary>
    public string ConfigDirectory
    {
        get
        {
            var xdg = Variable("XDG_CONFIG_HOME");
            var root = string.IsNullOrEmpty(xdg)
                ? Path.Combine(Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config")
                : xdg;
            return Path.Combine(root, "fulcrum");
        }
    }
}
