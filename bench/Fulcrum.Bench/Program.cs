using System.CommandLine;
using Fulcrum.Bench;
using Fulcrum.Bench.Scenarios;
using Fulcrum.Lab;

// The short ones first: the long propagation run, last, reports each size as it ends.
string[] all = ["control-plane", "reload", "overhead", "failover", "propagation"];
var scenarios = new Option<string[]>("--scenario") { DefaultValueFactory = _ => all, AllowMultipleArgumentsPerToken = true, Description = $"Which to run: {string.Join(", ", all)} (default: all)." };
var sizes = new Option<int[]>("--sizes") { DefaultValueFactory = _ => [10, 100, 1_000, 10_000], AllowMultipleArgumentsPerToken = true, Description = "Listener counts the propagation benchmark grows the lab to, in order." };
var changes = new Option<int>("--changes") { DefaultValueFactory = _ => 100, Description = "Changes of each kind measured at each size." };
var largeSize = new Option<int>("--large-size") { DefaultValueFactory = _ => 10_000, Description = "From this many listeners on, --large-changes changes of each kind instead." };
var largeChanges = new Option<int>("--large-changes") { DefaultValueFactory = _ => 20, Description = "Changes of each kind at the large sizes (each new listener is a reload of 10,000 frontends)." };
var trials = new Option<int>("--trials") { DefaultValueFactory = _ => 20, Description = "Failover trials of each fault at each advert interval." };
var results = new Option<string>("--results") { DefaultValueFactory = _ => Path.Combine(LabPrograms.Repository(), "bench", "RESULTS.md"), Description = "Where the report is written." };
var root = new RootCommand("fulcrum-bench: measures Fulcrum in a lab of network namespaces (needs root) and writes bench/RESULTS.md.")
{
    scenarios, sizes, changes, largeSize, largeChanges, trials, results,
};
root.SetAction(async (parsed, ct) =>
{
    if (!Environment.IsPrivilegedProcess)
    {
        Console.Error.WriteLine("fulcrum-bench builds network namespaces: run it as root (bench/run does).");
        return 2;
    }

    var chosen = parsed.GetValue(scenarios)!;
    if (chosen.Except(all, StringComparer.Ordinal).ToArray() is { Length: > 0 } unknown)
    {
        Console.Error.WriteLine($"Unknown scenario {string.Join(", ", unknown)}; choose from {string.Join(", ", all)}.");
        return 2;
    }

    var report = new Report(parsed.GetValue(results)!, "bench/run " + string.Join(' ', args));
    var context = new BenchContext(
        LabPrograms.Built(LabPrograms.Repository(), LabPrograms.Configuration()), report, parsed.GetValue(sizes)!, parsed.GetValue(changes), parsed.GetValue(largeSize), parsed.GetValue(largeChanges), parsed.GetValue(trials));
    Func<Task>[] runs =
    [
        .. chosen.Select<string, Func<Task>>(name => name switch
        {
            "propagation" => new Propagation(context).RunAsync,
            "failover" => new Failover(context).RunAsync,
            "reload" => new ReloadUnderLoad(context).RunAsync,
            "overhead" => new Overhead(context).RunAsync,
            _ => new ControlPlane(context).RunAsync,
        }),
    ];
    foreach (var run in runs)
    {
        ct.ThrowIfCancellationRequested();
        await run();
    }

    return 0;
});
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
