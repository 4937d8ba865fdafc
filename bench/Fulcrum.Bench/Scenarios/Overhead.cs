using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.Bench.Scenarios;

/// <summary>
/// Benchmark 5: what the proxy costs — wrk through the VIP against wrk straight to the backend, and our rendered
/// haproxy configuration against a minimal hand-written one on the same node, interleaved; UDP through nginx against
/// the backend directly.
/// </summary>
public sealed partial class Overhead(BenchContext context)
{
    private const int Subnet = 254;
    private const int HandWrittenHttpPort = 18_080;
    private const int HandWrittenHttpsPort = 18_443;
    private const int Rounds = 3;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);

    public async Task RunAsync()
    {
        var section = context.Report.Begin(
            "5. Data-plane overhead",
            $"One node, one backend, one client namespace. `wrk -t1 -c16 -d{Duration.TotalSeconds:F0}s` (Debian's wrk) per target, the targets interleaved over {Rounds} rounds; " +
            "the table gives the median requests/s of the rounds and the median of their p99 latencies. **direct** is the backend itself, **ours** the VIP " +
            "through the configuration Fulcrum renders, **hand-written** a second haproxy on the same node with a minimal configuration for the same " +
            "listener (`mode http`, one server, default timeouts, `no strict-limits` as ours has). New connections send `Connection: close`. The CPU budget is the machine's two " +
            "cores, shared by wrk, haproxy and the .NET sample backend: these are ratios on one box, not a capacity.");
        await using var lab = await LabDeployment.StartAsync(context.Programs, Subnet, nodes: 1, backends: 1);
        var node = lab.Nodes[0];
        var backend = lab.Backends[0];
        var lb = await lab.CreateLoadBalancerAsync("overhead");
        var group = await lab.CreateGroupAsync(lb, "web");
        await lab.CreateBackendAsync(group, backend.Address);
        var udpGroup = await lab.CreateGroupAsync(lb, "udp");
        await lab.CreateBackendAsync(udpGroup, backend.Address, LabDeployment.BackendUdpPort);
        var pem = SelfSignedCertificate.Create("overhead.example");
        var certificate = await lab.CreateAsync<CertificateResponse>("certificates", new { projectId = lab.Project.Id, name = "overhead", certificatePem = pem.CertificatePem, privateKeyPem = pem.PrivateKeyPem });
        await lab.CreateListenerAsync(lb, group, 80);
        await lab.CreateListenerAsync(lb, group, 443, ListenerProtocol.Https, tls: new { certificateId = certificate.Id });
        await lab.CreateListenerAsync(lb, udpGroup, LabDeployment.BackendUdpPort, ListenerProtocol.Udp);
        using var sockets = new NamespaceSockets(lab.Client.Namespace);
        using (var probe = new Probe(sockets))
        {
            await probe.UntilAsync($"http://{lb.Vip}/", served => served is not null, Stopwatch.StartNew());
        }

        await lab.CaughtUpAsync();
        await StartHandWrittenAsync(lab, node, backend, pem);

        var targets = new (string Traffic, string Target, string Url)[]
        {
            ("HTTP keep-alive", "direct", $"http://{backend.Address}:{LabDeployment.BackendHttpPort}/"),
            ("HTTP keep-alive", "ours", $"http://{lb.Vip}/"),
            ("HTTP keep-alive", "hand-written", $"http://{node.Host.Address}:{HandWrittenHttpPort}/"),
            ("HTTP new connections", "direct", $"http://{backend.Address}:{LabDeployment.BackendHttpPort}/"),
            ("HTTP new connections", "ours", $"http://{lb.Vip}/"),
            ("HTTP new connections", "hand-written", $"http://{node.Host.Address}:{HandWrittenHttpPort}/"),
            ("HTTPS keep-alive", "ours", $"https://{lb.Vip}/"),
            ("HTTPS keep-alive", "hand-written", $"https://{node.Host.Address}:{HandWrittenHttpsPort}/"),
            ("HTTPS new connections", "ours", $"https://{lb.Vip}/"),
            ("HTTPS new connections", "hand-written", $"https://{node.Host.Address}:{HandWrittenHttpsPort}/"),
        };
        var runs = targets.ToDictionary(t => (t.Traffic, t.Target), _ => new List<(double Rate, double P99)>());
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (traffic, target, url) in targets)
            {
                runs[(traffic, target)].Add(await WrkAsync(lab, url, newConnections: traffic.EndsWith("new connections", StringComparison.Ordinal)));
            }
        }

        var rows = new List<IEnumerable<string>>();
        foreach (var traffic in targets.Select(t => t.Traffic).Distinct(StringComparer.Ordinal))
        {
            var ours = Median(runs[(traffic, "ours")].Select(r => r.Rate));
            foreach (var target in targets.Where(t => t.Traffic == traffic).Select(t => t.Target))
            {
                var rate = Median(runs[(traffic, target)].Select(r => r.Rate));
                rows.Add([traffic, target, $"{rate:N0}", Distribution.Ms(Median(runs[(traffic, target)].Select(r => r.P99))), target == "ours" ? "1" : $"{ours / rate:F2}"]);
            }
        }

        var udpVia = await UdpRateAsync(sockets, new IPEndPoint(IPAddress.Parse(lb.Vip!), LabDeployment.BackendUdpPort));
        var udpDirect = await UdpRateAsync(sockets, new IPEndPoint(IPAddress.Parse(backend.Address), LabDeployment.BackendUdpPort));
        rows.Add(["UDP request/answer, one at a time", "direct", $"{udpDirect:N0}", "–", $"{udpVia / udpDirect:F2}"]);
        rows.Add(["UDP request/answer, one at a time", "ours (nginx stream)", $"{udpVia:N0}", "–", "1"]);
        section.Table(["traffic", "target", "requests/s", "p99 ms", "ours ÷ target"], rows);

        // Where a difference comes from: the same pair with the node's agent gone (haproxy and keepalived go on serving).
        await node.Agent.KillAsync();
        var alone = new[] { ("ours", $"http://{lb.Vip}/"), ("hand-written", $"http://{node.Host.Address}:{HandWrittenHttpPort}/") }
            .ToDictionary(t => t.Item1, _ => new List<(double Rate, double P99)>());
        for (var round = 0; round < Rounds; round++)
        {
            alone["ours"].Add(await WrkAsync(lab, $"http://{lb.Vip}/", newConnections: false));
            alone["hand-written"].Add(await WrkAsync(lab, $"http://{node.Host.Address}:{HandWrittenHttpPort}/", newConnections: false));
        }

        var oursAlone = Median(alone["ours"].Select(r => r.Rate));
        section.Line("The HTTP keep-alive pair again with the node's agent killed (haproxy serves on without it): what the agent's presence costs.");
        section.Table(
            ["traffic", "target", "requests/s", "p99 ms", "ours ÷ target"],
            alone.Select(a => (IEnumerable<string>)["HTTP keep-alive, no agent", a.Key, $"{Median(a.Value.Select(r => r.Rate)):N0}", Distribution.Ms(Median(a.Value.Select(r => r.P99))), a.Key == "ours" ? "1" : $"{oursAlone / Median(a.Value.Select(r => r.Rate)):F2}"]));
        await context.Report.EndAsync(section);
    }

    /// <summary>A minimal haproxy for the same backend, on the node's own address, started and ended by the lab.</summary>
    private static async Task StartHandWrittenAsync(LabDeployment lab, LabNode node, LabHost backend, SelfSignedCertificate pem)
    {
        var directory = Directory.CreateTempSubdirectory("fulcrum-bench-haproxy-").FullName;
        var crt = Path.Combine(directory, "site.pem");
        await File.WriteAllTextAsync(crt, pem.CertificatePem + "\n" + pem.PrivateKeyPem + "\n");
        File.SetUnixFileMode(crt, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
                maxconn 10000
                no strict-limits
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s
            frontend plain
                bind {node.Host.Address}:{HandWrittenHttpPort}
                default_backend web
            frontend tls
                bind {node.Host.Address}:{HandWrittenHttpsPort} ssl crt {crt}
                default_backend web
            backend web
                server be1 {backend.Address}:{LabDeployment.BackendHttpPort}

            """);
        var haproxy = lab.Network.Start("hand-written haproxy", node.Host, "haproxy", ["-db", "-f", config]);
        using var sockets = new NamespaceSockets(lab.Client.Namespace);
        using var probe = new Probe(sockets);
        try
        {
            await probe.UntilAsync($"http://{node.Host.Address}:{HandWrittenHttpPort}/", served => served is not null, Stopwatch.StartNew());
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"the hand-written haproxy never served:\n{haproxy.Output()}", e);
        }
    }

    private static async Task<(double Rate, double P99)> WrkAsync(LabDeployment lab, string url, bool newConnections)
    {
        string[] arguments = ["-t1", "-c16", $"-d{Duration.TotalSeconds:F0}s", "--latency", .. newConnections ? new[] { "-H", "Connection: close" } : [], url];
        var wrk = lab.Network.Start("wrk", lab.Client, "wrk", arguments);
        using var limit = new CancellationTokenSource(Duration + TimeSpan.FromSeconds(30));
        await wrk.WaitForExitAsync(limit.Token);
        var output = wrk.Output();
        var rate = RequestsPerSecond().Match(output);
        var p99 = Percentile99().Match(output);
        if (!rate.Success || !p99.Success || Errors().Match(output) is { Success: true })
        {
            throw new InvalidOperationException($"wrk {url} did not run cleanly:\n{output}");
        }

        return (double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), Milliseconds(p99.Groups[1].Value, p99.Groups[2].Value));
    }

    private static double Milliseconds(string value, string unit) => double.Parse(value, CultureInfo.InvariantCulture) * unit switch
    {
        "us" => 0.001,
        "ms" => 1,
        "s" => 1000,
        _ => throw new FormatException($"wrk printed a latency in {unit}"),
    };

    /// <summary>Datagrams answered per second, one in flight at a time, for 5 s.</summary>
    private static async Task<double> UdpRateAsync(NamespaceSockets sockets, IPEndPoint target)
    {
        using var socket = sockets.Create(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(target);
        var payload = Encoding.UTF8.GetBytes("ping");
        var buffer = new byte[2048];
        var answered = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await socket.SendAsync(payload);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                answered++;
            }
            catch (OperationCanceledException)
            {
            }
        }

        return answered / clock.Elapsed.TotalSeconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"99%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex Percentile99();

    [GeneratedRegex(@"Non-2xx or 3xx responses|Socket errors: connect [1-9]")]
    private static partial Regex Errors();
}
