using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Output;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary>
/// <c>fulcrum audit list</c>: who changed what and when, newest first, and how each write was answered. The table
/// leaves out fields set to nothing; -o json and -o yaml give the events whole.
/// </summary>
internal sealed class AuditCommand : Command
{
    public AuditCommand(CliEnvironment environment, GlobalOptions options)
        : base("audit", "The audit log: every write through the API or the console.")
    {
        Add(new AuditListCommand(environment, options));
    }
}

internal sealed class AuditListCommand : BaseCommand
{
    private readonly Option<string?> _resourceId = new("--resource-id") { Description = "Only the events of this resource (an id)." };
    private readonly Option<string?> _resourceType = new("--resource-type") { Description = "Only the events of this kind of resource (load-balancer, backend, ...)." };
    private readonly Option<string?> _project = new("--project") { Description = "Only the events of this project (name or id)." };
    private readonly Option<string?> _since = new("--since") { Description = "Events from this instant (ISO 8601) or this long ago (30m, 2h, 7d)." };
    private readonly Option<string?> _until = new("--until") { Description = "Events before this instant (ISO 8601) or this long ago." };
    private readonly Option<int> _limit = new("--limit") { Description = "At most this many events, the newest (1-500).", DefaultValueFactory = _ => 50 };

    public AuditListCommand(CliEnvironment environment, GlobalOptions options)
        : base("list", "List audit events, newest first.", environment, options)
    {
        foreach (var instant in new[] { _since, _until })
        {
            instant.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<string?>() is { } text && Instant(text, DateTimeOffset.UtcNow) is null)
                {
                    r.AddError($"{r.Option.Name} must be an ISO 8601 instant or a duration such as 30m, 2h or 7d.");
                }
            });
        }

        Add(_resourceId);
        Add(_resourceType);
        Add(_project);
        Add(_since);
        Add(_until);
        Add(_limit);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var now = DateTimeOffset.UtcNow;
        var query = new List<string> { $"limit={result.GetValue(_limit)}" };
        void Filter(string name, string? value)
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Filter("resourceId", result.GetValue(_resourceId));
        Filter("resourceType", result.GetValue(_resourceType));
        Filter("projectId", result.GetValue(_project) is { } project ? await Resolver.IdAsync(client, "project", project, ct) : null);
        Filter("since", result.GetValue(_since) is { } since ? Instant(since, now)!.Value.ToString("O", CultureInfo.InvariantCulture) : null);
        Filter("until", result.GetValue(_until) is { } until ? Instant(until, now)!.Value.ToString("O", CultureInfo.InvariantCulture) : null);
        var events = (await client.GetAsync($"audit-events?{string.Join('&', query)}", ct))["items"]!.AsArray().Select(e => e!.AsObject()).ToList();

        var output = Output(result);
        if (output.Format is not OutputFormat.Table)
        {
            output.Structured(new JsonArray([.. events.Select(e => e.DeepClone())]));
            return ExitCodes.Success;
        }

        output.Table(
            ["TIME", "ACTOR", "ROLE", "ACTION", "RESOURCE", "ID", "OUTCOME", "CHANGES"],
            [.. events.Select(e => new List<string>
            {
                DateTimeOffset.TryParse(Renderer.Text(e["at"]), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                    ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                    : Renderer.Text(e["at"]),
                Renderer.Text(e["actor"]?["tokenId"]) is { Length: > 0 } token ? token : $"node {Renderer.Text(e["actor"]?["nodeId"])}",
                Renderer.Text(e["actor"]?["role"]),
                Renderer.Text(e["action"]),
                Renderer.Text(e["resourceType"]),
                Renderer.Text(e["resourceId"]),
                (string?)e["outcome"] == "success" ? "success" : $"{Renderer.Text(e["outcome"])} {Renderer.Text(e["status"])} {Renderer.Text(e["title"])}",
                string.Join(" ", (e["changes"] as JsonObject ?? []).Select(c => (c.Key, Value: Renderer.Text(c.Value))).Where(c => c.Value.Length > 0).Select(c => $"{c.Key}={Shortened(c.Value)}")),
            })]);
        return ExitCodes.Success;
    }

    /// <summary>An ISO 8601 instant, or a duration back from <paramref name="now"/>.</summary>
    private static DateTimeOffset? Instant(string text, DateTimeOffset now) =>
        WaitCommand.Duration(text) is { } ago ? now - ago
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ? instant
        : null;

    private static string Shortened(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
