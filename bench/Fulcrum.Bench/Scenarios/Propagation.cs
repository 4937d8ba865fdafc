using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.Bench.Scenarios;

/// <summary>
/// Benchmarks 1, 2 and 7 on one two-node lab grown step by step: at each size, how long a new listener, a new
/// backend, a weight change and a drain take from the API call to answering through the VIP and to being applied on
/// every node; where an apply's time goes and what the programs cost at that size, idle; and at the largest size, a
/// third node's cold start.
/// </summary>
public sealed class Propagation(BenchContext context)
{
    private const int Subnet = 250;
    private const int ListenersPerFiller = 250;
    private const int FirstFillerPort = 10_000;
    private const int FirstTrialPort = 30_000;

    private readonly List<(int Size, int Backends, string Kind, Distribution Vip, Distribution Everywhere)> _times = [];
    private readonly List<(int Size, string Path, IReadOnlyDictionary<string, double> Phases)> _phases = [];
    private readonly List<IEnumerable<string>> _costs = [];
    private readonly List<string> _notes = [];
    private LabDeployment _lab = null!;
    private int _listeners;
    private int _backends;

    public async Task RunAsync()
    {
        var section = context.Report.Begin(
            "1, 2, 7. Propagation, apply cost and a large cluster",
            $"A two-node lab (VRRP adverts every {VrrpSpec.DefaultAdvertIntervalMs} ms) grown to each size in turn; filler load balancers carry up to {ListenersPerFiller} HTTP " +
            "listeners each, sharing one backend group of three backends per load balancer. At each size, one measured load balancer takes " +
            $"{context.Changes} changes of each kind (at {context.LargeSize:N0} listeners and above, {context.LargeChanges}), one at a time, each " +
            "undone and applied everywhere before the next: **VIP** is the API call to the first client request (a new connection) that shows the " +
            "change through the VIP; **everywhere** is the API call to every node reporting the revision applied. A weight change sets a backend's " +
            "weight to 0 (shown by 4 answers in a row from the other backend) or back to 1 (its first answer); a drain does the same with " +
            "`adminState` drain and enabled.");
        await using var lab = _lab = await LabDeployment.StartAsync(context.Programs, Subnet, nodes: 2, backends: 3, advertIntervalMs: VrrpSpec.DefaultAdvertIntervalMs);
        using var sockets = new NamespaceSockets(lab.Client.Namespace);
        using var probe = new Probe(sockets);
        var lb = await lab.CreateLoadBalancerAsync("measured");
        var group = await lab.CreateGroupAsync(lb, "measured");
        await lab.CreateBackendAsync(group, lab.Backends[0].Address);
        var second = await lab.CreateBackendAsync(group, lab.Backends[1].Address);
        await lab.CreateListenerAsync(lb, group, 80);
        (_listeners, _backends) = (1, 2);
        var url = $"http://{lb.Vip}/";
        await probe.UntilAsync(url, served => served is not null, Stopwatch.StartNew());
        await lab.CaughtUpAsync();

        foreach (var size in context.Sizes)
        {
            try
            {
                await AtSizeAsync(size, lb, group, second, url, probe);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
            {
                var logs = Path.Combine(Path.GetTempPath(), $"fulcrum-bench-propagation-{size}.log");
                await File.WriteAllTextAsync(logs, _lab.Network.Logs());
                Console.WriteLine($"The lab's logs are in {logs}");
                _notes.Add($"**At {size:N0} listeners the run stopped:** {e.Message}");
                await PublishAsync(section);
                return;
            }

            await PublishAsync(section);
        }
    }

    private async Task AtSizeAsync(int size, LoadBalancerResponse lb, BackendGroupResponse group, BackendResponse second, string url, Probe probe)
    {
        var lab = _lab;
        var grow = Stopwatch.StartNew();
        await GrowAsync(size);
        await lab.CaughtUpAsync(TimeSpan.FromMinutes(10));
        Console.WriteLine($"{size:N0} listeners, {_backends:N0} backends: created and applied in {grow.Elapsed.TotalSeconds:F0} s");
        var changes = size >= context.LargeSize ? context.LargeChanges : context.Changes;
        await MeasureAsync(size, "new listener", changes, "reload", async (i, clock) =>
        {
            var port = FirstTrialPort + i;
            var listener = await lab.CreateListenerAsync(lb, group, port);
            var times = await BothAsync(clock, probe.UntilAsync($"http://{lb.Vip}:{port}/", served => served is not null, clock));
            await lab.DeleteAsync($"listeners/{listener.Id}");
            return times;
        });
        await MeasureAsync(size, "new backend", changes, "runtime", async (_, clock) =>
        {
            var backend = await lab.CreateBackendAsync(group, lab.Backends[2].Address);
            var times = await BothAsync(clock, probe.UntilAsync(url, served => served == "be3", clock));
            await lab.DeleteAsync($"backends/{backend.Id}");
            return times;
        });
        await MeasureAsync(size, "weight change", changes, "runtime", (i, clock) => Toggle(probe, clock, url, second, new { weight = i % 2 == 0 ? 0 : 1 }, taken: i % 2 == 0));
        await lab.PatchAsync($"backends/{second.Id}", new { weight = 1 });
        await MeasureAsync(size, "drain / enable", changes, "runtime", (i, clock) =>
            Toggle(probe, clock, url, second, new { adminState = i % 2 == 0 ? BackendAdminState.Drain : BackendAdminState.Enabled }, taken: i % 2 == 0));
        await lab.PatchAsync($"backends/{second.Id}", new { adminState = BackendAdminState.Enabled });
        await lab.CaughtUpAsync();
        await CostsAsync(size);
        if (size == context.Sizes[^1])
        {
            await ColdStartAsync(probe, size, lb, group, url);
        }
    }

    /// <summary>Writes what was measured so far: a size that fails or a run cut short keeps the sizes before it.</summary>
    private async Task PublishAsync(Section section)
    {
        section.Clear();
        section.Table(
            ["listeners", "backends", "change", .. Distribution.Headers.Select(h => "VIP " + h), "everywhere p50 ms", "everywhere p99 ms"],
            _times.Select(t => (IEnumerable<string>)[$"{t.Size:N0}", $"{t.Backends:N0}", t.Kind, .. t.Vip.Cells(), Distribution.Ms(t.Everywhere.P50), Distribution.Ms(t.Everywhere.P99)]));
        section.Line("Where an apply's time goes, on the MASTER (mean ms per apply, from the agent's `fulcrum_agent_apply_duration_seconds`): a new listener reloads haproxy; a weight change, drain or new backend goes through haproxy's runtime API.");
        var phases = _phases.SelectMany(p => p.Phases.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        section.Table(
            ["listeners", "apply", .. phases],
            _phases.Select(p => (IEnumerable<string>)[$"{p.Size:N0}", p.Path, .. phases.Select(phase => p.Phases.TryGetValue(phase, out var ms) ? Distribution.Ms(ms) : "–")]));
        section.Line("Size and idle cost: the snapshot a node receives (its cached copy, and gzip as the server sends it), resident memory, and CPU over 10 s with nothing changing (percent of one core; haproxy counts its master and worker).");
        section.Table(
            ["listeners", "snapshot KiB", "gzip KiB", "server MiB", "agent MiB", "haproxy MiB", "server idle CPU %", "agent idle CPU %", "haproxy idle CPU %"],
            _costs);
        foreach (var note in _notes)
        {
            section.Line(note);
        }

        await context.Report.EndAsync(section);
    }

    /// <summary>Adds filler load balancers and listeners until the lab holds <paramref name="size"/> listeners.</summary>
    private async Task GrowAsync(int size)
    {
        while (_listeners < size)
        {
            var lb = await _lab.CreateLoadBalancerAsync($"filler-{_listeners}");
            var group = await _lab.CreateGroupAsync(lb, "filler");
            foreach (var backend in _lab.Backends)
            {
                await _lab.CreateBackendAsync(group, backend.Address);
            }

            _backends += _lab.Backends.Count;
            var count = Math.Min(ListenersPerFiller, size - _listeners);
            await Parallel.ForEachAsync(
                Enumerable.Range(FirstFillerPort, count),
                new ParallelOptions { MaxDegreeOfParallelism = 4 },
                async (port, _) => await _lab.CreateListenerAsync(lb, group, port));
            _listeners += count;
        }
    }

    private async Task MeasureAsync(int size, string kind, int changes, string path, Func<int, Stopwatch, Task<(TimeSpan Vip, TimeSpan Everywhere)>> change)
    {
        var master = await _lab.MasterAsync(BenchApi.Deadline);
        var before = await PhasesAsync(master);
        var vip = new List<TimeSpan>();
        var everywhere = new List<TimeSpan>();
        for (var i = 0; i < changes; i++)
        {
            var (seen, applied) = await change(i, Stopwatch.StartNew());
            vip.Add(seen);
            everywhere.Add(applied);
            await _lab.CaughtUpAsync();
        }

        _times.Add((size, _backends, kind, Distribution.Of(vip), Distribution.Of(everywhere)));
        if (kind is "new listener" or "weight change")
        {
            var after = await PhasesAsync(master);
            _phases.Add((size, $"{kind} ({path})", after.Where(p => p.Value.Count > (before.TryGetValue(p.Key, out var b) ? b.Count : 0)).ToDictionary(
                p => p.Key,
                p => (p.Value.Sum - (before.TryGetValue(p.Key, out var b) ? b.Sum : 0)) * 1000 / (p.Value.Count - (before.TryGetValue(p.Key, out var c) ? c.Count : 0)),
                StringComparer.Ordinal)));
        }

        Console.WriteLine($"{size:N0} listeners, {kind}: VIP p50 {Distribution.Of(vip).P50:F0} ms p99 {Distribution.Of(vip).P99:F0} ms, everywhere p99 {Distribution.Of(everywhere).P99:F0} ms");
    }

    /// <summary>Changes the measured group's second backend; <paramref name="taken"/> says whether the change takes it out of rotation.</summary>
    private async Task<(TimeSpan, TimeSpan)> Toggle(Probe probe, Stopwatch clock, string url, BackendResponse backend, object changes, bool taken)
    {
        await _lab.PatchAsync($"backends/{backend.Id}", changes);
        return await BothAsync(clock, taken
            ? probe.UntilAsync(url, served => served == "be1", inARow: 4, clock)
            : probe.UntilAsync(url, served => served == "be2", clock));
    }

    /// <summary>The client's time (<paramref name="seen"/>) and the time every node reported the write's revision.</summary>
    private async Task<(TimeSpan Vip, TimeSpan Everywhere)> BothAsync(Stopwatch clock, Task<TimeSpan> seen)
    {
        var revision = await _lab.RevisionAsync();
        var everywhere = _lab.AppliedEverywhereAsync(revision, clock);
        return (await seen, await everywhere);
    }

    private static async Task<Dictionary<string, (double Sum, double Count)>> PhasesAsync(LabNode node)
    {
        var samples = await node.AgentMetricsAsync();
        return samples.Named("fulcrum_agent_apply_duration_seconds_count", ("outcome", "applied")).ToDictionary(
            s => s["phase"]!,
            s => (samples.Named("fulcrum_agent_apply_duration_seconds_sum", ("outcome", "applied"), ("phase", s["phase"]!)).Single().Value, s.Value),
            StringComparer.Ordinal);
    }

    private async Task CostsAsync(int size)
    {
        var master = await _lab.MasterAsync(BenchApi.Deadline);
        var snapshot = await File.ReadAllBytesAsync(Path.Combine(master.StateDirectory, "snapshot.json"));
        using var gzip = new MemoryStream();
        await using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            await compressor.WriteAsync(snapshot);
        }

        var server = Procfs.Tree(_lab.Server.Pid);
        var agent = Procfs.Tree(master.Agent.Pid);
        var haproxy = Procfs.Tree(int.Parse(await File.ReadAllTextAsync(Path.Combine(master.StateDirectory, "run", "haproxy.pid")), CultureInfo.InvariantCulture));
        var idle = await Procfs.CpuPercentAsync([server, agent, haproxy], TimeSpan.FromSeconds(10));
        _costs.Add([
            $"{size:N0}", $"{snapshot.Length / 1024.0:N0}", $"{gzip.Length / 1024.0:N0}",
            $"{Procfs.ResidentMiB(server):F0}", $"{Procfs.ResidentMiB(agent):F0}", $"{Procfs.ResidentMiB(haproxy):F0}",
            $"{idle[0]:F1}", $"{idle[1]:F1}", $"{idle[2]:F1}",
        ]);
    }

    /// <summary>A third node joins the grown cluster with an empty state directory: time to its first apply, and the API's view of it.</summary>
    private async Task ColdStartAsync(Probe probe, int size, LoadBalancerResponse lb, BackendGroupResponse group, string url)
    {
        var clock = Stopwatch.StartNew();
        var node = await _lab.StartNodeAsync("nodec");
        var joined = clock.Elapsed;
        var revision = await _lab.RevisionAsync();
        await Eventually.TrueAsync(
            async () => await _lab.GetAsync<NodeResponse>($"nodes/{node.NodeId}") is { Online: true } seen && seen.AppliedRevision >= revision,
            TimeSpan.FromMinutes(10),
            () => $"the new node never applied revision {revision}");
        var applied = clock.Elapsed;
        var nodes = await _lab.NodesAsync();
        var backends = await _lab.GetAsync<Page<BackendResponse>>($"backends?backendGroupId={group.Id}");
        var serving = await probe.ServedByAsync(url) is not null;
        _notes.Add(
            $"**Cold start at {size:N0} listeners ({_backends:N0} backends):** a third node joined (enrolment, {joined.TotalSeconds:F1} s) and reported the cluster's " +
            $"revision applied {applied.TotalSeconds:F1} s after the join began. Then the API showed {nodes.Count(n => n.Online)} of {nodes.Count} nodes online, " +
            $"{nodes.Count(n => n.AppliedRevision >= revision)} at revision {revision}, the measured load balancer {(await _lab.GetAsync<LoadBalancerResponse>($"load-balancers/{lb.Id}")).ProvisioningStatus}, " +
            $"its backends' health {string.Join(", ", backends.Items.Select(b => b.Health))}, and the VIP {(serving ? "serving" : "NOT serving")}.");
    }
}
