using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// Active health checks against real backend processes that the tests stop and start again: what the API reports,
/// and where clients' requests go meanwhile. Every test leaves the backends running.
/// </summary>
public sealed class HealthCheckTests(HealthCheckTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<HealthCheckTests.Fixture>
{
    private static readonly object Check = new { type = HealthCheckType.Http, intervalMs = 200, timeoutMs = 200, rise = 2, fall = 2 };

    [Fact]
    public Task HealthCheck_BackendStopped_ReportedDownAndSkipped_ThenBackAfterRestart() => fixture.RunAsync(output, async lab =>
    {
        var (lb, backends) = await WebAsync(lab, "stopped", backup: null);
        var url = $"http://{lb.Vip}/";
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);
        await WaitForAsync(lab, backends, BackendHealth.Up);
        try
        {
            await lab.StopBackendAsync("be1");
            await lab.WaitForHealthAsync(backends[0], BackendHealth.Down);
            var whileDown = await Traffic.ServedByAsync(http, url, 12);
            await lab.RestartBackendAsync("be1");
            await lab.WaitForHealthAsync(backends[0], BackendHealth.Up);
            var afterRestart = await Traffic.ServedByAsync(http, url, 12);

            Assert.Equal([("be2", 6), ("be3", 6)], Traffic.Tally(whileDown));
            Assert.Equal(["be1", "be2", "be3"], afterRestart.Distinct().Order(StringComparer.Ordinal));
            Assert.InRange(afterRestart.Count(name => name == "be1"), 3, 5);
        }
        finally
        {
            await EnsureRunningAsync(lab);
        }
    });

    [Fact]
    public Task HealthCheck_BackupBackend_ServesOnlyWhileEveryPrimaryIsDown() => fixture.RunAsync(output, async lab =>
    {
        var (lb, backends) = await WebAsync(lab, "backup", backup: "be3");
        var url = $"http://{lb.Vip}/";
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);
        await WaitForAsync(lab, backends, BackendHealth.Up);
        try
        {
            var allUp = await Traffic.ServedByAsync(http, url, 12);
            await lab.StopBackendAsync("be1");
            await lab.WaitForHealthAsync(backends[0], BackendHealth.Down);
            var onePrimaryDown = await Traffic.ServedByAsync(http, url, 6);
            await lab.StopBackendAsync("be2");
            await lab.WaitForHealthAsync(backends[1], BackendHealth.Down);
            var everyPrimaryDown = await Traffic.ServedByAsync(http, url, 6);
            await lab.RestartBackendAsync("be1");
            await lab.WaitForHealthAsync(backends[0], BackendHealth.Up);
            var onePrimaryBack = await Traffic.ServedByAsync(http, url, 6);

            Assert.Equal([("be1", 6), ("be2", 6)], Traffic.Tally(allUp));
            Assert.Equal([("be2", 6)], Traffic.Tally(onePrimaryDown));
            Assert.Equal([("be3", 6)], Traffic.Tally(everyPrimaryDown));
            Assert.Equal([("be1", 6)], Traffic.Tally(onePrimaryBack));
        }
        finally
        {
            await EnsureRunningAsync(lab);
        }
    });

    /// <summary>
    /// Every node reloads haproxy for any change in the cluster — another tenant's load balancer too. The reload must
    /// not forget which backends are down: were they taken for UP until their next check (here up to 10 s away),
    /// requests would go to the dead primaries, and fail, instead of to the backup.
    /// </summary>
    [Fact]
    public Task HealthCheck_UnrelatedChangeReloadsTheNodes_DownBackendsStayDown() => fixture.RunAsync(output, async lab =>
    {
        var slowCheck = new { type = HealthCheckType.Http, intervalMs = 10_000, timeoutMs = 1_000, rise = 1, fall = 1 };
        var (lb, backends) = await WebAsync(lab, "reload", backup: "be3", slowCheck);
        var url = $"http://{lb.Vip}/";
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(10));
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);
        await WaitForAsync(lab, backends, BackendHealth.Up);
        try
        {
            await lab.StopBackendAsync("be1");
            await lab.StopBackendAsync("be2");
            await WaitForAsync(lab, backends.Take(2), BackendHealth.Down);
            var other = await lab.CreateLoadBalancerAsync("unrelated");
            var otherGroup = await lab.CreateGroupAsync(other, "unrelated");
            await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = other.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = otherGroup.Id });
            await lab.WaitUntilActiveAsync(other);

            var served = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                using var response = await http.GetAsync(url);
                served.Add(response.StatusCode == HttpStatusCode.OK ? Traffic.FirstLine(await response.Content.ReadAsStringAsync()) : $"{(int)response.StatusCode}");
            }

            Assert.Equal([("be3", 6)], Traffic.Tally(served));
        }
        finally
        {
            await EnsureRunningAsync(lab);
        }
    });

    /// <summary>The health a reload carries over must not carry the old port with it (haproxy's state file would).</summary>
    [Fact]
    public Task HealthCheck_BackendOnTheWrongPortCorrected_UpAndServingFromTheNewPort() => fixture.RunAsync(output, async lab =>
    {
        var lb = await lab.CreateLoadBalancerAsync("port");
        var group = await lab.CreateGroupAsync(lb, "web");
        var backend = await lab.CreateBackendAsync(group, lab.Backends[0], LabDeployment.BackendTcpPort);
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id, healthCheck = Check });
        var url = $"http://{lb.Vip}/";
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await lab.WaitUntilActiveAsync(lb);
        await lab.WaitForHealthAsync(backend, BackendHealth.Down);
        await Eventually.TrueAsync(() => Traffic.AnswersAsync(http, url, HttpStatusCode.ServiceUnavailable), TimeSpan.FromSeconds(30), () => $"{url} never answered 503");

        await lab.UpdateAsync<BackendResponse>($"backends/{backend.Id}", new { backendGroupId = group.Id, name = backend.Name, address = backend.Address, port = LabDeployment.BackendHttpPort });
        await lab.WaitUntilActiveAsync(lb);
        await lab.WaitForHealthAsync(backend, BackendHealth.Up);

        Assert.Equal([("be1", 3)], Traffic.Tally(await Traffic.ServedByAsync(http, url, 3)));
    });

    [Fact]
    public Task HealthCheck_SomeThenAllBackendsDown_DegradedThenErrorAnd503_OnlineOnceBack() => fixture.RunAsync(output, async lab =>
    {
        var (lb, backends) = await WebAsync(lab, "alldown", backup: null);
        var url = $"http://{lb.Vip}/";
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5));
        await Traffic.WaitUntilServingAsync(lab, lb, http, url);
        await WaitForAsync(lab, backends, BackendHealth.Up);
        await lab.WaitForOperatingStatusAsync(lb, OperatingStatus.Online);
        try
        {
            await lab.StopBackendAsync("be1");
            await lab.WaitForHealthAsync(backends[0], BackendHealth.Down);
            await lab.WaitForOperatingStatusAsync(lb, OperatingStatus.Degraded);
            await Traffic.GetAsync(http, url, HttpStatusCode.OK);

            await lab.StopBackendAsync("be2");
            await lab.StopBackendAsync("be3");
            await WaitForAsync(lab, backends, BackendHealth.Down);
            await lab.WaitForOperatingStatusAsync(lb, OperatingStatus.Error);
            await Traffic.GetAsync(http, url, HttpStatusCode.ServiceUnavailable);

            await EnsureRunningAsync(lab);
            await WaitForAsync(lab, backends, BackendHealth.Up);
            await lab.WaitForOperatingStatusAsync(lb, OperatingStatus.Online);
            await Traffic.GetAsync(http, url, HttpStatusCode.OK);
        }
        finally
        {
            await EnsureRunningAsync(lab);
        }
    });

    /// <summary>An http listener with http checks (fast ones by default) over be1–be3, <paramref name="backup"/> as the backup; returns the backends in order.</summary>
    private static async Task<(LoadBalancerResponse, List<BackendResponse>)> WebAsync(LabDeployment lab, string name, string? backup, object? check = null)
    {
        var lb = await lab.CreateLoadBalancerAsync(name);
        var group = await lab.CreateGroupAsync(lb, "web");
        var backends = new List<BackendResponse>();
        foreach (var host in lab.Backends)
        {
            backends.Add(await lab.CreateBackendAsync(group, host, LabDeployment.BackendHttpPort, backup: LabApi.NameOf(host) == backup));
        }

        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = ListenerProtocol.Http, port = 80, defaultBackendGroupId = group.Id, healthCheck = check ?? Check });
        return (lb, backends);
    }

    private static async Task WaitForAsync(LabDeployment lab, IEnumerable<BackendResponse> backends, BackendHealth health)
    {
        foreach (var backend in backends)
        {
            await lab.WaitForHealthAsync(backend, health);
        }
    }

    /// <summary>Starts again whichever of the lab's backends a test stopped.</summary>
    private static async Task EnsureRunningAsync(LabDeployment lab)
    {
        foreach (var name in new[] { "be1", "be2", "be3" })
        {
            if (lab.Network.Processes.Last(p => p.Name == name).HasExited)
            {
                await lab.RestartBackendAsync(name);
            }
        }
    }

    public sealed class Fixture() : LabFixture(subnet: 211);
}
