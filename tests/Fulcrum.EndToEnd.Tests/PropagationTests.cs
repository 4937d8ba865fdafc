using System.Diagnostics;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

public sealed class PropagationLab() : TwoClientLabFixture(subnet: 224);

/// <summary>
/// How long an API change takes to reach the nodes and the clients. The times are reported, never asserted: they
/// depend on the machine; what is asserted is that the change arrives everywhere.
/// </summary>
public sealed class PropagationTests(PropagationLab fixture, ITestOutputHelper output) : IClassFixture<PropagationLab>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly LabDeployment _lab = fixture.Lab;

    [Fact]
    public async Task NewBackend_ReachesEveryNodeAndAnswersThroughTheVip()
    {
        try
        {
            var lb = await _lab.CreateLoadBalancerAsync("growing");
            var web = await _lab.CreateGroupAsync(lb, "web");
            await _lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = _lab.Backends[0].Address, port = LabDeployment.BackendHttpPort });
            await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id });
            using var http = fixture.Client.PlainHttpClient(TimeSpan.FromSeconds(2));
            var url = $"http://{lb.Vip}/";
            await Eventually.TrueAsync(() => http.HttpSucceedsAsync(url), Wait, () => "the VIP never served");
            await Eventually.TrueAsync(_lab.NodesCaughtUpAsync, Wait, () => "the nodes never caught up");

            foreach (var (host, name) in _lab.Backends.Zip(["be1", "be2", "be3"]).Skip(1))
            {
                var clock = Stopwatch.StartNew();
                await _lab.CreateAsync<BackendResponse>("backends", new { backendGroupId = web.Id, address = host.Address, port = LabDeployment.BackendHttpPort });
                var answered = clock.Elapsed;
                var revision = await _lab.RevisionAsync();
                var applied = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
                TimeSpan? served = null;

                await Task.WhenAll(
                    Eventually.TrueAsync(
                        async () =>
                        {
                            foreach (var node in await _lab.NodesAsync())
                            {
                                if (node.AppliedRevision >= revision)
                                {
                                    applied.TryAdd(node.Name, clock.Elapsed);
                                }
                            }

                            return applied.Count == _lab.Nodes.Count;
                        },
                        Wait,
                        () => $"revision {revision} reached only {string.Join(", ", applied.Keys)}"),
                    Eventually.TrueAsync(
                        async () =>
                        {
                            if (await http.ServedByAsync(url) == name)
                            {
                                served = clock.Elapsed;
                            }

                            return served is not null;
                        },
                        Wait,
                        () => $"{name} never answered through the VIP"));

                output.WriteLine(
                    $"{name} added (API answered in {answered.TotalMilliseconds:F0} ms): applied on " +
                    string.Join(", ", applied.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} at {a.Value.TotalMilliseconds:F0} ms")) +
                    $"; first answer through the VIP at {served!.Value.TotalMilliseconds:F0} ms");
            }
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }
}
