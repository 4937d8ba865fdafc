using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Listeners;

public sealed class ListenerAccessLogApiTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    [Fact]
    public async Task AccessLog_ReportedByTheMaster_ShownOldestFirst_ToTheProjectOnly()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.111");
        var tree = await Seed.TreeAsync(project, cluster, "198.18.97.1");
        using var viewer = factory.As(await Seed.TokenAsync(Role.Viewer, project.Id));
        using var stranger = factory.As(await Seed.TokenAsync(Role.Member, (await Seed.ProjectAsync("other")).Id));

        await master.ReportAsync(TestAgent.Report(1, VrrpState.Master) with { AccessLogs = [new(tree.Listener.Id, [Line(tree.Listener.Id, 1), Line(tree.Listener.Id, 2)])] });
        await master.ReportAsync(TestAgent.Report(1, VrrpState.Master) with { AccessLogs = [new(tree.Listener.Id, [Line(tree.Listener.Id, 3)])] });
        var log = await viewer.GetAsync<AccessLogResponse>($"listeners/{tree.Listener.Id}/access-log");
        var newest = await viewer.GetAsync<AccessLogResponse>($"listeners/{tree.Listener.Id}/access-log?limit=2");

        Assert.Equal(tree.Listener.Id, log.ListenerId);
        Assert.Equal([1, 2, 3], log.Lines.Select(l => l.ClientPort));
        Assert.Equal(("198.18.0.100", (int?)200, (long?)12, "/index.html"), (log.Lines[0].ClientAddress, log.Lines[0].Status, log.Lines[0].TotalMs, log.Lines[0].Uri));
        Assert.Equal([2, 3], newest.Lines.Select(l => l.ClientPort));
        await (await stranger.GetAsync($"listeners/{tree.Listener.Id}/access-log")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync("listeners/lsn-unknown/access-log")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AccessLog_FromABackup_OrOfAListenerOfAnotherCluster_IsNotShown()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var backup = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.112");
        var tree = await Seed.TreeAsync(project, cluster, "198.18.97.2");
        var elsewhere = await Seed.ClusterAsync();
        using var foreignMaster = await TestAgent.JoinAsync(factory, _admin, elsewhere.Id, "198.18.0.113");

        await backup.ReportAsync(TestAgent.Report(1, VrrpState.Backup) with { AccessLogs = [new(tree.Listener.Id, [Line(tree.Listener.Id, 1)])] });
        await foreignMaster.ReportAsync(TestAgent.Report(0, VrrpState.Master) with { AccessLogs = [new(tree.Listener.Id, [Line(tree.Listener.Id, 2)])] });

        Assert.Empty((await _admin.GetAsync<AccessLogResponse>($"listeners/{tree.Listener.Id}/access-log")).Lines);
    }

    [Fact]
    public async Task AccessLog_KeepsTheNewestLinesOnly()
    {
        var cluster = await Seed.ClusterAsync();
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.114");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.97.3");

        for (var report = 0; report < 6; report++)
        {
            var lines = Enumerable.Range(report * NodeReports.MaxAccessLogLines, NodeReports.MaxAccessLogLines).Select(port => Line(tree.Listener.Id, port)).ToList();
            await master.ReportAsync(TestAgent.Report(1, VrrpState.Master) with { AccessLogs = [new(tree.Listener.Id, lines)] });
        }

        var log = await _admin.GetAsync<AccessLogResponse>($"listeners/{tree.Listener.Id}/access-log?limit=500");
        Assert.Equal(500, log.Lines.Count);
        Assert.Equal((100, 599), (log.Lines[0].ClientPort, log.Lines[^1].ClientPort));
    }

    [Fact]
    public async Task AccessLog_BadLimit_NamesIt()
    {
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), await Seed.ClusterAsync(), "198.18.97.4");

        var response = await _admin.GetAsync($"listeners/{tree.Listener.Id}/access-log?limit=501");

        Assert.Equal(["limit"], (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task Heartbeat_AccessLogLineWithABadAddress_IsRefusedNamingIt_AndAControlCharacterInItsUriIsDropped()
    {
        var cluster = await Seed.ClusterAsync();
        using var master = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.115");
        var tree = await Seed.TreeAsync(await Seed.ProjectAsync(), cluster, "198.18.97.5");

        var refused = await master.HeartbeatAsync(TestAgent.Report(1, VrrpState.Master) with { AccessLogs = [new(tree.Listener.Id, [Line(tree.Listener.Id, 1) with { ClientAddress = "nowhere" }])] });
        await master.ReportAsync(TestAgent.Report(1, VrrpState.Master) with { AccessLogs = [new(tree.Listener.Id, [Line(tree.Listener.Id, 2) with { Uri = "/a\u001b[2Jb" }])] });

        Assert.Equal(["accessLogs[0].lines[0].clientAddress"], (await refused.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal("/a[2Jb", Assert.Single((await _admin.GetAsync<AccessLogResponse>($"listeners/{tree.Listener.Id}/access-log")).Lines).Uri);
    }

    private static AccessLogEntry Line(string listenerId, int port) => new(
        DateTimeOffset.UnixEpoch, listenerId, ListenerProtocol.Http, "198.18.0.100", port, Status: 200, BytesIn: 80, BytesOut: 512,
        QueueMs: 0, ConnectMs: 1, TotalMs: 12, TerminationState: "----", Method: "GET", Uri: "/index.html");
}
