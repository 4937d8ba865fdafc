using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Apply;
using Fulcrum.Cli.Output;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// <c>fulcrum apply -f lb.yaml</c>: makes the load balancers a document names match it, printing each write; a second
/// apply of the same document writes nothing. <c>--dry-run</c> prints the writes without making them.
/// </summary>
internal sealed class ApplyCommand : BaseCommand
{
    private readonly Option<string[]> _files = new("--filename", "-f") { Description = "A YAML or JSON document; - reads stdin. Repeat for several.", Required = true };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Print what would change, write nothing." };

    public ApplyCommand(CliEnvironment environment, GlobalOptions options)
        : base("apply", "Create, update and delete to make load balancers match a document.", environment, options)
    {
        Add(_files);
        Add(_dryRun);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        var documents = new List<JsonNode?>();
        foreach (var file in result.GetValue(_files)!)
        {
            var text = file == "-" ? await Environment.In.ReadToEndAsync(ct) : ReadFile(file);
            documents.AddRange(Yaml.Read(text));
        }

        using var client = Connect(result);
        var dryRun = result.GetValue(_dryRun);
        var output = Output(result);
        var done = new JsonArray();
        foreach (var document in documents.Where(d => d is not null))
        {
            var steps = await new Planner(client).PlanAsync(document, ct);
            foreach (var step in steps)
            {
                if (!dryRun)
                {
                    await step.RunAsync(ct);
                }

                done.Add(step.Text);
                if (output.Format is OutputFormat.Table)
                {
                    output.Line(step.Text);
                }
            }
        }

        if (output.Format is OutputFormat.Table)
        {
            output.Line(done.Count == 0 ? "No changes." : dryRun ? $"Dry run: {done.Count} change(s), nothing written." : $"{done.Count} change(s) applied.");
        }
        else
        {
            output.Structured(new JsonObject { ["dryRun"] = dryRun, ["changes"] = done });
        }

        return ExitCodes.Success;
    }
}
