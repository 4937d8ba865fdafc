using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// A change of backends only — weight, drain, disable, address — is made through haproxy's runtime API: effective
/// through the VIP without a new haproxy worker on any node. The time from the API call to the change being seen
/// through the VIP is printed.
/// </summary>
public sealed class RuntimeChangeTests(RuntimeChangeTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<RuntimeChangeTests.Fixture>
{
    [Fact]
    public Task Weight_SetToZeroThenThree_EffectiveWithoutANewWorker() => fixture.RunAsync(output, async lab =>
    {
        var (lb, url, backends) = await ServeAsync(lab, fixture.Client, "weight");
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        var workers = await WorkersAsync(lab);

        var elapsed = await ChangeAsync(lab, backends[1], new { weight = 0 }, http, url, served => served == "be1");
        output.WriteLine($"weight 1 -> 0: effective through the VIP {elapsed.TotalMilliseconds:F0} ms after the API call");
        await PutAsync(lab, backends[1], new { weight = 3 });
        await lab.WaitUntilActiveAsync(lb);
        var served = await Traffic.ServedByAsync(http, url, 80);

        // 3:1 is 60 of 80, over a window that need not start where haproxy's weighted round robin starts its cycle; 1:1 would be 40.
        Assert.InRange(served.Count(name => name == "be2"), 54, 66);
        Assert.Equal(workers, await WorkersAsync(lab));
    });

    [Fact]
    public Task DrainThenDisableThenEnable_EffectiveWithoutANewWorker() => fixture.RunAsync(output, async lab =>
    {
        var (lb, url, backends) = await ServeAsync(lab, fixture.Client, "drain");
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        var workers = await WorkersAsync(lab);

        var elapsed = await ChangeAsync(lab, backends[0], new { adminState = BackendAdminState.Drain }, http, url, served => served == "be2");
        output.WriteLine($"drain: effective through the VIP {elapsed.TotalMilliseconds:F0} ms after the API call");
        await PutAsync(lab, backends[0], new { adminState = BackendAdminState.Enabled });
        await lab.WaitUntilActiveAsync(lb);
        var enabledAgain = Traffic.Tally(await Traffic.ServedByAsync(http, url, 20));
        await ChangeAsync(lab, backends[1], new { adminState = BackendAdminState.Disabled }, http, url, served => served == "be1");
        await lab.WaitUntilActiveAsync(lb);

        // Both serve again. A server enabled again rejoins haproxy's weighted round robin where its cycle stands, so a
        // window of 20 need not split exactly 10:10 (14:6 was seen); a drained or disabled one would serve none.
        Assert.Equal(["be1", "be2"], enabledAgain.Select(tally => tally.Name));
        Assert.All(enabledAgain, tally => Assert.InRange(tally.Count, 5, 15));
        Assert.Equal([("be1", 20)], Traffic.Tally(await Traffic.ServedByAsync(http, url, 20)));
        Assert.Equal(workers, await WorkersAsync(lab));
    });

    [Fact]
    public Task Address_MovedToAnotherHost_ServedThereWithoutANewWorker() => fixture.RunAsync(output, async lab =>
    {
        var (lb, url, backends) = await ServeAsync(lab, fixture.Client, "address");
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        var workers = await WorkersAsync(lab);

        await ChangeAsync(lab, backends[1], new { address = lab.Backends[2].Address }, http, url, served => served != "be2");
        await lab.WaitUntilActiveAsync(lb);

        Assert.Equal([("be1", 10), ("be3", 10)], Traffic.Tally(await Traffic.ServedByAsync(http, url, 20)));
        Assert.Equal(workers, await WorkersAsync(lab));
    });

    /// <summary>An http listener over be1 and be2 with equal weights, served on every node.</summary>
    internal static async Task<(LoadBalancerResponse, string, List<BackendResponse>)> ServeAsync(LabDeployment lab, NamespaceSockets client, string name, object? healthCheck = null, Scheduler scheduler = Scheduler.RoundRobin)
    {
        var lb = await lab.CreateLoadBalancerAsync(name);
        var group = await lab.CreateGroupAsync(lb, name);
        List<BackendResponse> backends =
        [
            await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendHttpPort),
            await lab.CreateBackendAsync(group, lab.Backends[1], LabDeployment.BackendHttpPort),
        ];
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id, healthCheck, scheduler });
        var url = $"http://{lb.Vip}/";
        using var http = client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);
        await Eventually.TrueAsync(lab.SettledAsync, TimeSpan.FromSeconds(30), () => "the nodes never caught up");
        return (lb, url, backends);
    }

    /// <summary>
    /// PUTs the backend with <paramref name="change"/> over its current values, then sends requests until ten in a
    /// row are served as <paramref name="effective"/> says; returns the time from the call to the first of them.
    /// </summary>
    private static Task<TimeSpan> ChangeAsync(LabDeployment lab, BackendResponse backend, object change, HttpClient http, string url, Func<string, bool> effective) =>
        UntilEffectiveAsync(() => PutAsync(lab, backend, change), System.Text.Json.JsonSerializer.Serialize(change), http, url, effective);

    /// <summary>
    /// Calls <paramref name="act"/>, then sends requests until <paramref name="inARow"/> in a row are served as
    /// <paramref name="effective"/> says; returns the time from the call to the first of them.
    /// </summary>
    internal static async Task<TimeSpan> UntilEffectiveAsync(Func<Task> act, string what, HttpClient http, string url, Func<string, bool> effective, int inARow = 10)
    {
        var clock = Stopwatch.StartNew();
        await act();
        TimeSpan? since = null;
        var run = 0;
        for (var i = 0; i < 2000 && run < inARow; i++)
        {
            var at = clock.Elapsed;
            if (effective(Traffic.FirstLine(await Traffic.GetAsync(http, url, System.Net.HttpStatusCode.OK))))
            {
                since ??= at;
                run++;
            }
            else
            {
                since = null;
                run = 0;
            }
        }

        Assert.True(run == inARow, $"the change {what} never took effect through the VIP");
        return since!.Value;
    }

    /// <summary>PUTs the backend with <paramref name="change"/> over its current values.</summary>
    internal static async Task PutAsync(LabDeployment lab, BackendResponse backend, object change)
    {
        var current = await lab.GetAsync<BackendResponse>($"backends/{backend.Id}");
        var body = new Dictionary<string, object?>
        {
            ["backendGroupId"] = current.BackendGroupId,
            ["name"] = current.Name,
            ["address"] = current.Address,
            ["port"] = current.Port,
            ["weight"] = current.Weight,
            ["backup"] = current.Backup,
            ["adminState"] = current.AdminState,
        };
        foreach (var property in change.GetType().GetProperties())
        {
            body[property.Name] = property.GetValue(change);
        }

        await lab.UpdateAsync<BackendResponse>($"backends/{backend.Id}", body);
    }

    /// <summary>The current haproxy workers of every node, from its master's <c>show proc</c>.</summary>
    internal static async Task<List<string>> WorkersAsync(LabDeployment lab)
    {
        var workers = new List<string>();
        foreach (var node in lab.Nodes)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(node.StateDirectory, "run", "haproxy-master.sock")));
            await socket.SendAsync(Encoding.ASCII.GetBytes("show proc\n"), SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var section = "";
            foreach (var line in answer.ToString().Split('\n'))
            {
                if (line.StartsWith('#'))
                {
                    section = line;
                }
                else if (section.StartsWith("# workers", StringComparison.Ordinal) && line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var pid, "worker", ..])
                {
                    workers.Add($"{node.NodeId}:{pid}");
                }
            }
        }

        Assert.NotEmpty(workers);
        return workers;
    }

    public sealed class Fixture() : LabFixture(subnet: 230);
}
