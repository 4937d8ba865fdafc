using System.Diagnostics;
using System.Globalization;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.Bench.Scenarios;

/// <summary>
/// Benchmark 3: the gap a client sees when the MASTER is cut off the network (its link down) and when its haproxy
/// is killed with SIGKILL, at the default advert interval and at a fast one.
/// </summary>
public sealed class Failover(BenchContext context)
{
    /// <summary>A new-connection request this often while a fault strikes: the resolution of the gap.</summary>
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(10);

    private static readonly int[] AdvertIntervals = [VrrpSpec.DefaultAdvertIntervalMs, 50];

    public async Task RunAsync()
    {
        var section = context.Report.Begin(
            "3. Failover",
            $"Two nodes, one HTTP listener, a client sending a request on a new connection every {Every.TotalMilliseconds:F0} ms (each with a 1 s timeout). " +
            "The gap is the longest time between two requests that were answered, around the fault, less the 10 ms between requests. " +
            $"Link down: the MASTER's link to the LAN is cut, then restored once the other node serves (nopreempt keeps the VIP where it went). " +
            $"haproxy killed: SIGKILL to the MASTER's haproxy master process; the agent starts it again. {context.Trials} trials of each.");
        var rows = new List<IEnumerable<string>>();
        var subnet = 251;
        foreach (var advert in AdvertIntervals)
        {
            await using var lab = await LabDeployment.StartAsync(context.Programs, subnet++, nodes: 2, backends: 2, advertIntervalMs: advert);
            using var sockets = new NamespaceSockets(lab.Client.Namespace);
            using var probe = new Probe(sockets);
            var lb = await lab.CreateLoadBalancerAsync("failover");
            var group = await lab.CreateGroupAsync(lb, "web");
            foreach (var backend in lab.Backends)
            {
                await lab.CreateBackendAsync(group, backend.Address);
            }

            await lab.CreateListenerAsync(lb, group, 80);
            var url = $"http://{lb.Vip}/";
            await probe.UntilAsync(url, served => served is not null, Stopwatch.StartNew());
            await lab.CaughtUpAsync();

            var cut = new List<TimeSpan>();
            var killed = new List<TimeSpan>();
            for (var trial = 0; trial < context.Trials; trial++)
            {
                var master = await lab.MasterAsync(BenchApi.Deadline);
                cut.Add(await GapAsync(probe, url, master.Host.DisconnectAsync));
                await master.Host.ReconnectAsync();
                await SettledAsync(lab);

                master = await lab.MasterAsync(BenchApi.Deadline);
                var haproxy = Pid(master);
                killed.Add(await GapAsync(probe, url, () =>
                {
                    using var process = Process.GetProcessById(haproxy);
                    process.Kill();
                    return Task.CompletedTask;
                }));
                await Eventually.TrueAsync(() => Task.FromResult(Pid(master) != haproxy), BenchApi.Deadline, () => "haproxy was never started again");
                await SettledAsync(lab);
            }

            rows.Add([$"{advert} ms", "MASTER link down", .. Distribution.Of(cut).Cells()]);
            rows.Add([$"{advert} ms", "MASTER's haproxy killed", .. Distribution.Of(killed).Cells()]);
            Console.WriteLine($"adverts {advert} ms: link down p99 {Distribution.Of(cut).P99:F0} ms, haproxy killed p99 {Distribution.Of(killed).P99:F0} ms");
        }

        section.Table(["adverts", "fault", .. Distribution.Headers], rows);
        await context.Report.EndAsync(section);
    }

    /// <summary>Sends a request every 10 ms, each on its own, from just before the fault until 2 s of answers after it.</summary>
    private static async Task<TimeSpan> GapAsync(Probe probe, string url, Func<Task> fault)
    {
        var clock = Stopwatch.StartNew();
        var answered = new List<TimeSpan>();
        var requests = new List<Task>();
        var faultAt = TimeSpan.FromMilliseconds(200);
        var struck = false;
        using var tick = new PeriodicTimer(Every);
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var sent = clock.Elapsed;
            requests.Add(Answer(sent));
            if (!struck && sent >= faultAt)
            {
                struck = true;
                await fault();
            }

            TimeSpan last;
            lock (answered)
            {
                last = answered.Count == 0 ? TimeSpan.Zero : answered.Max();
            }

            if (struck && last > faultAt && sent - faultAt > TimeSpan.FromSeconds(2) && sent - last < TimeSpan.FromMilliseconds(100) && Recovered(answered, sent))
            {
                break;
            }

            await tick.WaitForNextTickAsync();
        }

        await Task.WhenAll(requests);
        var times = answered.Order().ToList();
        return times.Zip(times.Skip(1), (a, b) => b - a).DefaultIfEmpty(TimeSpan.Zero).Max() - Every;

        async Task Answer(TimeSpan sent)
        {
            if (await probe.ServedByAsync(url) is not null)
            {
                lock (answered)
                {
                    answered.Add(sent);
                }
            }
        }
    }

    /// <summary>Every request of the last 2 s answered so far: the VIP serves steadily again.</summary>
    private static bool Recovered(List<TimeSpan> answered, TimeSpan now)
    {
        lock (answered)
        {
            return answered.Count(a => a > now - TimeSpan.FromSeconds(2) && a < now - TimeSpan.FromSeconds(1)) >= 80;
        }
    }

    /// <summary>One MASTER, the others BACKUP, every node online and caught up: the next trial starts from a quiet cluster.</summary>
    private static async Task SettledAsync(LabDeployment lab)
    {
        await Eventually.TrueAsync(lab.SettledAsync, BenchApi.Deadline, () => "the cluster never settled with one MASTER, the others BACKUP and every node online and caught up");
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    private static int Pid(LabNode node) =>
        int.Parse(File.ReadAllText(Path.Combine(node.StateDirectory, "run", "haproxy.pid")).Trim(), CultureInfo.InvariantCulture);
}
