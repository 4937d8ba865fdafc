using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Resources;

namespace Fulcrum.Cli.Commands;

/// <summary><c>fulcrum wait lb NAME --for active --timeout 30s</c>: for scripts, until a load balancer reaches a state.</summary>
internal sealed class WaitCommand : BaseCommand
{
    private static readonly Dictionary<string, (string Field, string Value)> Conditions = new()
    {
        ["active"] = ("provisioningStatus", "ACTIVE"),
        ["error"] = ("provisioningStatus", "ERROR"),
        ["online"] = ("operatingStatus", "ONLINE"),
        ["degraded"] = ("operatingStatus", "DEGRADED"),
        ["offline"] = ("operatingStatus", "OFFLINE"),
        ["deleted"] = ("", ""),
    };

    private readonly Argument<string> _id = new("name") { Description = "Name or id." };
    private readonly Option<string> _for = new("--for") { Description = "active, error, online, degraded, offline or deleted.", Required = true };
    private readonly Option<string> _timeout = new("--timeout") { Description = "How long to wait (30s, 2m, 500ms).", DefaultValueFactory = _ => "30s" };

    public WaitCommand(CliEnvironment environment, GlobalOptions options)
        : base(Kinds.LoadBalancer.Name, "Wait until a load balancer reaches a state.", environment, options)
    {
        foreach (var alias in Kinds.LoadBalancer.Aliases)
        {
            Aliases.Add(alias);
        }

        _for.AcceptOnlyFromAmong([.. Conditions.Keys]);
        _timeout.Validators.Add(r =>
        {
            if (Duration(r.GetValueOrDefault<string>()) is null)
            {
                r.AddError("--timeout must be a duration such as 30s, 2m or 500ms.");
            }
        });
        Add(_id);
        Add(_for);
        Add(_timeout);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken ct)
    {
        using var client = Connect(result);
        var name = result.GetValue(_id)!;
        var condition = result.GetValue(_for)!;
        var (field, value) = Conditions[condition];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Duration(result.GetValue(_timeout))!.Value);
        var last = "";
        try
        {
            while (true)
            {
                try
                {
                    var lb = await Resolver.FindAsync(client, Kinds.LoadBalancer, name, timeout.Token);
                    last = $"{lb["provisioningStatus"]}/{lb["operatingStatus"]}";
                    if (field.Length > 0 && (string?)lb[field] == value)
                    {
                        Output(result).Message($"load balancer {name} is {value}.", new JsonObject { ["name"] = name, [field] = value });
                        return ExitCodes.Success;
                    }
                }
                catch (CliException e) when (e.ExitCode == ExitCodes.NotFound && condition == "deleted")
                {
                    Output(result).Message($"load balancer {name} is deleted.", new JsonObject { ["name"] = name, ["deleted"] = true });
                    return ExitCodes.Success;
                }

                await Task.Delay(Environment.PollInterval, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Timeout, $"load balancer {name} did not become {condition} within {result.GetValue(_timeout)} (last seen {last}).");
        }
    }

    /// <summary>A duration as people write it: 500ms, 30s, 2m, 1h, 7d.</summary>
    internal static TimeSpan? Duration(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : text.EndsWith('d') ? (text[..^1], 86400.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0
            ? TimeSpan.FromSeconds(amount * unit)
            : null;
    }
}
