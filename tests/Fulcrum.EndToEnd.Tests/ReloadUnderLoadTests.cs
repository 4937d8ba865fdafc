using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

public sealed class ReloadLab() : TwoClientLabFixture(subnet: 223);

/// <summary>Configuration changes reload haproxy on every node while clients keep sending: none of them may notice.</summary>
public sealed partial class ReloadUnderLoadTests(ReloadLab fixture, ITestOutputHelper output) : IClassFixture<ReloadLab>
{
    private const int Changes = 50;
    private const int Clients = 8;
    private const int MaxRequests = 1_000_000;
    private static readonly TimeSpan MaxLoadTime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly LabDeployment _lab = fixture.Lab;

    /// <summary>
    /// Each change is awaited until every node has applied it, so that each one is a reload of haproxy under load
    /// rather than several changes folded into one.
    /// </summary>
    [Fact]
    public async Task Vip_FiftyChangesAppliedUnderKeepAliveLoad_FailsNoRequest()
    {
        try
        {
            var lb = await _lab.CreateLoadBalancerAsync("busy");
            var web = await _lab.CreateGroupAsync(lb, "web");
            var backends = new List<BackendResponse>
            {
                await _lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = _lab.Backends[0].Address, port = LabDeployment.BackendHttpPort }),
            };
            await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id });
            var url = $"http://{lb.Vip}/";
            using (var probe = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(2)))
            {
                await Eventually.TrueAsync(() => probe.HttpSucceedsAsync(url), Wait, () => "the VIP never served");
            }

            await Eventually.TrueAsync(_lab.NodesCaughtUpAsync, Wait, () => "the nodes never caught up before the load");
            var firstRevision = await _lab.RevisionAsync();
            var load = new Load(fixture.Client, new IPEndPoint(IPAddress.Parse(lb.Vip), 80));
            var clock = Stopwatch.StartNew();
            var running = load.RunAsync();

            for (var i = 0; i < Changes; i++)
            {
                await ChangeAsync(i, lb, web, backends);
                await Eventually.TrueAsync(_lab.NodesCaughtUpAsync, Wait, () => $"the nodes never applied change {i + 1}");
            }

            var changesTook = clock.Elapsed;
            var stillRunning = !running.IsCompleted;
            load.Stop();
            await running;

            var reloads = _lab.Nodes.Select(node => (node.Host.Namespace, Count: HaproxyReloadsAfter(node, firstRevision))).ToList();
            output.WriteLine($"{Changes} changes applied one by one in {changesTook.TotalSeconds:F1} s under the load of {Clients} keep-alive clients");
            output.WriteLine($"haproxy reloads: {string.Join(", ", reloads.Select(r => $"{r.Namespace} {r.Count}"))}");
            output.WriteLine($"requests served: {load.Served} ({load.Served / clock.Elapsed.TotalSeconds:F0}/s) on {load.Connections} connections, failed: {load.Failed}");
            output.WriteLine($"served by: {string.Join(", ", load.ServedBy.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}");
            foreach (var failure in load.Failures.Take(20))
            {
                output.WriteLine($"failure: {failure}");
            }

            Assert.True(stillRunning, "the load ended before the last change: it was bounded too tightly to cover the changes");
            Assert.Equal(0, load.Failed);
            Assert.True(load.Served > 0);
            Assert.Equal(["be1", "be2", "be3"], load.ServedBy.Keys.Order(StringComparer.Ordinal));
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    /// <summary>Every fifth change adds a backend, every fifth adds a listener, the others change a weight.</summary>
    private async Task ChangeAsync(int i, LoadBalancerResponse lb, BackendGroupResponse web, List<BackendResponse> backends)
    {
        switch (i % 5)
        {
            case 0:
                var host = _lab.Backends[(i / 5 + 1) % _lab.Backends.Count];
                backends.Add(await _lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = host.Address, port = LabDeployment.BackendHttpPort }));
                break;
            case 4:
                await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = $"extra-{i}", protocol = "http", port = 8100 + i, defaultBackendGroupId = web.Id });
                break;
            default:
                var index = i % backends.Count;
                var backend = backends[index];
                var weight = backend.Weight % 10 + 1;
                backends[index] = await _lab.UpdateAsync<BackendResponse>($"backends/{backend.Id}", new { address = backend.Address, port = backend.Port, weight });
                break;
        }
    }

    /// <summary>The haproxy reloads the node's agent logged for revisions after <paramref name="revision"/>.</summary>
    private static int HaproxyReloadsAfter(LabNode node, long revision) =>
        AppliedPattern().Matches(node.Agent.Output()).Count(m => long.Parse(m.Groups["revision"].Value, System.Globalization.CultureInfo.InvariantCulture) > revision);

    [GeneratedRegex(@"Applied revision (?<revision>\d+) \(reloaded haproxy: True")]
    private static partial Regex AppliedPattern();

    /// <summary>
    /// Keep-alive HTTP/1.1 clients in the client namespace, each sending one request after the other on its connection
    /// until stopped, or until <see cref="MaxRequests"/> requests or <see cref="MaxLoadTime"/> have gone by. They are
    /// written out rather than HttpClient, which quietly resends a request whose reused connection the server closed:
    /// here every request that gets no answer counts, as it would for a client that does not or may not retry.
    /// </summary>
    private sealed class Load(NamespaceSockets sockets, IPEndPoint vip)
    {
        private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
        private readonly CancellationTokenSource _stop = new(MaxLoadTime);
        private long _started;
        private long _served;
        private long _failed;
        private long _connections;

        public long Served => Interlocked.Read(ref _served);

        public long Failed => Interlocked.Read(ref _failed);

        public long Connections => Interlocked.Read(ref _connections);

        public ConcurrentQueue<string> Failures { get; } = new();

        public ConcurrentDictionary<string, long> ServedBy { get; } = new(StringComparer.Ordinal);

        public async Task RunAsync()
        {
            try
            {
                await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(ClientAsync)));
            }
            finally
            {
                _stop.Dispose();
            }
        }

        public void Stop() => _stop.Cancel();

        private async Task ClientAsync()
        {
            var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {vip.Address}\r\n\r\n");
            Connection? connection = null;
            // The stop token is only looked at between requests: a request is never cut short, it succeeds or fails.
            while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _started) <= MaxRequests)
            {
                using var timeout = new CancellationTokenSource(RequestTimeout);
                try
                {
                    if (connection is null)
                    {
                        connection = new Connection(await sockets.ConnectAsync(vip, timeout.Token));
                        Interlocked.Increment(ref _connections);
                    }

                    var (status, close, body) = await connection.ExchangeAsync(request, timeout.Token);
                    if (status == 200 && body.StartsWith("be", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _served);
                        ServedBy.AddOrUpdate(VipClient.FirstLine(body), 1, (_, n) => n + 1);
                    }
                    else
                    {
                        Fail($"{status} {VipClient.FirstLine(body)}");
                    }

                    if (close)
                    {
                        connection.Dispose();
                        connection = null;
                    }
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
                {
                    Fail($"{e.GetType().Name}: {e.Message}");
                    connection?.Dispose();
                    connection = null;
                }
            }

            connection?.Dispose();
        }

        private void Fail(string what)
        {
            Interlocked.Increment(ref _failed);
            Failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what}");
        }
    }

    /// <summary>One keep-alive HTTP/1.1 connection: a request out, the status, whether the server closes, the body.</summary>
    private sealed class Connection(Socket socket) : IDisposable
    {
        private readonly NetworkStream _stream = new(socket, ownsSocket: true);
        private readonly StreamReader _reader = new(new NetworkStream(socket, ownsSocket: false), Encoding.ASCII);

        public async Task<(int Status, bool Close, string Body)> ExchangeAsync(byte[] request, CancellationToken ct)
        {
            await _stream.WriteAsync(request, ct);
            var statusLine = await _reader.ReadLineAsync(ct) ?? throw new IOException("the connection was closed before a response");
            var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var length = 0;
            var close = false;
            while (await _reader.ReadLineAsync(ct) is { Length: > 0 } header)
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                var name = header[..colon].Trim();
                var value = header[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    close = value.Equals("close", StringComparison.OrdinalIgnoreCase);
                }
            }

            var body = new char[length];
            if (await _reader.ReadBlockAsync(body.AsMemory(), ct) < length)
            {
                throw new IOException("the connection was closed in the middle of a response");
            }

            return (status, close, new string(body));
        }

        public void Dispose()
        {
            _reader.Dispose();
            _stream.Dispose();
        }
    }
}
