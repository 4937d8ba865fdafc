using System.CommandLine;
using Fulcrum.Cli.Commands;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli;

/// <summary>The <c>fulcrum</c> command tree, built for one environment (the console, or a test's writers).</summary>
public static class CliApp
{
    public static RootCommand Build(CliEnvironment environment)
    {
        var options = new GlobalOptions();
        var root = new RootCommand($"""
            fulcrum: load balancers as a service, from the command line.
            Log in once (fulcrum login --server URL --token TOKEN), then list, get, create, update or delete any
            resource by name or id, or describe load balancers in a file and `fulcrum apply -f` it.

            {ExitCodes.Help}
            """);
        foreach (var option in options.All)
        {
            root.Add(option);
        }

        root.Add(new LoginCommand(environment, options));
        root.Add(new ContextCommand(environment, options));
        root.Add(Verb("list", "List resources of a kind.", Kinds.All, k => new ListCommand(k, environment, options)));
        root.Add(Verb("get", "Show one resource (a load balancer as an apply document with -o yaml or -o json).", Kinds.All, k => new GetCommand(k, environment, options)));
        root.Add(Verb("create", "Create a resource, a flag per field.", Kinds.All.Where(k => k.CanCreate), k => new CreateCommand(k, environment, options)));
        root.Add(Verb("update", "Change the fields named by flags; the others keep their values.", Kinds.All.Where(k => k.CanUpdate), k => new UpdateCommand(k, environment, options)));
        root.Add(Verb("delete", "Delete a resource (a join token is revoked).", Kinds.All, k => new DeleteCommand(k, environment, options)));
        root.Add(new ApplyCommand(environment, options));
        root.Add(new StatusCommand(environment, options));
        root.Add(new Command("cluster", "Operator actions on a cluster.") { new FailoverCommand(environment, options) });
        root.Add(new Command("node", "Operator actions on a node.") { new MaintenanceCommand(environment, options) });
        root.Add(new AuditCommand(environment, options));
        root.Add(new LogsCommand(environment, options));
        root.Add(new Command("wait", "Wait for a resource to reach a state (for scripts).") { new WaitCommand(environment, options) });
        root.Add(new CompletionCommand(environment));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken ct = default)
    {
        var result = Build(environment).Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await environment.Error.WriteLineAsync($"error: {error.Message}");
            }

            await environment.Error.WriteLineAsync("See `fulcrum --help`.");
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(new InvocationConfiguration { Output = environment.Out, Error = environment.Error }, ct);
    }

    private static Command Verb(string name, string description, IEnumerable<ResourceKind> kinds, Func<ResourceKind, Command> create)
    {
        var verb = new Command(name, description);
        foreach (var kind in kinds)
        {
            verb.Add(create(kind));
        }

        return verb;
    }
}
