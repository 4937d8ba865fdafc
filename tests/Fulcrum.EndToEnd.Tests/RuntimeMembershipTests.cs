using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// A backend added to or removed from an existing group, or switched to or from backup, is changed through haproxy's
/// runtime API (<c>add server</c>, <c>del server</c>): effective through the VIP without a new haproxy worker on any
/// node, and a later reload serves the same. The time from the API call to the change being seen through the VIP is
/// printed.
/// </summary>
public sealed class RuntimeMembershipTests(RuntimeMembershipTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<RuntimeMembershipTests.Fixture>
{
    /// <summary>Checked, so that a server added at runtime must be given the checks haproxy's default-server would not give it.</summary>
    private static readonly object Check = new { type = HealthCheckType.Http, intervalMs = 500, timeoutMs = 500, rise = 2, fall = 2 };

    [Fact]
    public Task AddThenRemove_EffectiveWithoutANewWorker() => fixture.RunAsync(output, async lab =>
    {
        var (lb, url, backends) = await RuntimeChangeTests.ServeAsync(lab, fixture.Client, "members", Check);
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        var group = await lab.GetAsync<BackendGroupResponse>($"backend-groups/{backends[0].BackendGroupId}");
        var workers = await RuntimeChangeTests.WorkersAsync(lab);

        var added = await RuntimeChangeTests.UntilEffectiveAsync(
            () => lab.CreateBackendAsync(group, lab.Backends[2], LabDeployment.BackendHttpPort),
            "add be3", http, url, served => served == "be3", inARow: 1);
        output.WriteLine($"add: served through the VIP {added.TotalMilliseconds:F0} ms after the API call");
        await lab.WaitUntilActiveAsync(lb);
        var withThree = Traffic.Tally(await Traffic.ServedByAsync(http, url, 30));

        var removed = await RuntimeChangeTests.UntilEffectiveAsync(
            async () => (await lab.Admin.DeleteAsync($"backends/{backends[0].Id}")).EnsureSuccessStatusCode(),
            "remove be1", http, url, served => served != "be1");
        output.WriteLine($"remove: gone from the VIP {removed.TotalMilliseconds:F0} ms after the API call");
        await lab.WaitUntilActiveAsync(lb);

        Assert.Equal(["be1", "be2", "be3"], withThree.Select(tally => tally.Name));
        Assert.All(withThree, tally => Assert.InRange(tally.Count, 5, 15));
        Assert.Equal([("be2", 10), ("be3", 10)], Traffic.Tally(await Traffic.ServedByAsync(http, url, 20)));
        Assert.Equal(workers, await RuntimeChangeTests.WorkersAsync(lab));

        // A change that reloads haproxy: the rendered file says what the runtime API did, so the same backends serve.
        await lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "tcp", protocol = ListenerProtocol.Tcp, port = 81, defaultBackendGroupId = group.Id });
        await lab.WaitUntilActiveAsync(lb);
        Assert.NotEqual(workers, await RuntimeChangeTests.WorkersAsync(lab));
        Assert.Equal([("be2", 10), ("be3", 10)], Traffic.Tally(await Traffic.ServedByAsync(http, url, 20)));
    });

    [Fact]
    public Task Backup_ServesOnlyWhenTheOthersCannot_ThenRegularAgain_WithoutANewWorker() => fixture.RunAsync(output, async lab =>
    {
        var (lb, url, backends) = await RuntimeChangeTests.ServeAsync(lab, fixture.Client, "backup", Check);
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        var workers = await RuntimeChangeTests.WorkersAsync(lab);

        var toBackup = await RuntimeChangeTests.UntilEffectiveAsync(
            () => RuntimeChangeTests.PutAsync(lab, backends[1], new { backup = true }), "be2 backup", http, url, served => served == "be1");
        output.WriteLine($"to backup: effective through the VIP {toBackup.TotalMilliseconds:F0} ms after the API call");
        await lab.WaitUntilActiveAsync(lb);
        var asBackup = Traffic.Tally(await Traffic.ServedByAsync(http, url, 20));
        await RuntimeChangeTests.UntilEffectiveAsync(
            () => RuntimeChangeTests.PutAsync(lab, backends[0], new { adminState = BackendAdminState.Disabled }), "be1 disabled", http, url, served => served == "be2");
        await lab.WaitUntilActiveAsync(lb);
        var backupAlone = Traffic.Tally(await Traffic.ServedByAsync(http, url, 20));
        await RuntimeChangeTests.PutAsync(lab, backends[0], new { adminState = BackendAdminState.Enabled });
        var fromBackup = await RuntimeChangeTests.UntilEffectiveAsync(
            () => RuntimeChangeTests.PutAsync(lab, backends[1], new { backup = false }), "be2 regular", http, url, served => served == "be2", inARow: 1);
        output.WriteLine($"from backup: served through the VIP {fromBackup.TotalMilliseconds:F0} ms after the API call");
        await lab.WaitUntilActiveAsync(lb);

        Assert.Equal([("be1", 20)], asBackup);
        Assert.Equal([("be2", 20)], backupAlone);
        Assert.Equal(["be1", "be2"], Traffic.Tally(await Traffic.ServedByAsync(http, url, 20)).Select(tally => tally.Name));
        Assert.Equal(workers, await RuntimeChangeTests.WorkersAsync(lab));
    });

    /// <summary>balance source hashes consistently, which makes its weights dynamic: no reload for them either.</summary>
    [Fact]
    public Task SourceIpWeight_ClientMovesToTheOtherBackend_WithoutANewWorker() => fixture.RunAsync(output, async lab =>
    {
        var (lb, url, backends) = await RuntimeChangeTests.ServeAsync(lab, fixture.Client, "source", scheduler: Scheduler.SourceIp);
        using var http = fixture.Client.HttpClient(TimeSpan.FromSeconds(5), keepAlive: false);
        var workers = await RuntimeChangeTests.WorkersAsync(lab);
        var before = Traffic.Tally(await Traffic.ServedByAsync(http, url, 10));
        var (servingName, _) = Assert.Single(before);
        var serving = backends[servingName == "be1" ? 0 : 1];

        var moved = await RuntimeChangeTests.UntilEffectiveAsync(
            () => RuntimeChangeTests.PutAsync(lab, serving, new { weight = 0 }), $"{servingName} weight 0", http, url, served => served != servingName);
        output.WriteLine($"source-ip weight 1 -> 0: effective through the VIP {moved.TotalMilliseconds:F0} ms after the API call");
        await lab.WaitUntilActiveAsync(lb);

        Assert.Equal([(servingName == "be1" ? "be2" : "be1", 10)], Traffic.Tally(await Traffic.ServedByAsync(http, url, 10)));
        Assert.Equal(workers, await RuntimeChangeTests.WorkersAsync(lab));
    });

    public sealed class Fixture() : LabFixture(subnet: 233);
}
