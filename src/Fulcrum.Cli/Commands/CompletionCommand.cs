using System.CommandLine;

namespace Fulcrum.Cli.Commands;

/// <summary>Shell completion scripts that ask the CLI itself, through System.CommandLine's suggest directive.</summary>
internal sealed class CompletionCommand : Command
{
    private const string Bash = """
        # fulcrum completion for bash: source <(fulcrum completion bash)
        _fulcrum_complete() {
            local line="${COMP_LINE#* }"
            local position=$(( COMP_POINT - ${#COMP_LINE} + ${#line} ))
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$(fulcrum "[suggest:${position}]" "${line}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -F _fulcrum_complete fulcrum

        """;

    private const string Zsh = """
        #compdef fulcrum
        # fulcrum completion for zsh: source <(fulcrum completion zsh)
        _fulcrum() {
            local line="${(j: :)${(@)words[2,CURRENT]}}"
            local -a suggestions
            suggestions=("${(@f)$(fulcrum "[suggest:${#line}]" "${line}" 2>/dev/null)}")
            compadd -- "${suggestions[@]}"
        }
        compdef _fulcrum fulcrum

        """;

    private readonly Argument<string> _shell = new("shell") { Description = "bash or zsh." };

    public CompletionCommand(CliEnvironment environment)
        : base("completion", "Print a shell completion script (bash or zsh).")
    {
        _shell.AcceptOnlyFromAmong("bash", "zsh");
        Add(_shell);
        SetAction(result => environment.Out.Write(result.GetValue(_shell) == "bash" ? Bash : Zsh));
    }
}
