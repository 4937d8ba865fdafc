using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>A verb's command for one kind of resource (<c>fulcrum get lb …</c>): named after the kind, with its aliases.</summary>
internal abstract class ResourceCommand : BaseCommand
{
    protected ResourceCommand(ResourceKind kind, string description, CliEnvironment environment, GlobalOptions options)
        : base(kind.Name, description, environment, options)
    {
        Kind = kind;
        foreach (var alias in kind.Aliases)
        {
            Aliases.Add(alias);
        }
    }

    protected ResourceKind Kind { get; }
}
