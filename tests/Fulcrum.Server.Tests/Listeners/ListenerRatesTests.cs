using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Listeners;

public sealed class ListenerRatesTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    private async Task<IReadOnlyList<ListenerRatePoint>> RatesAsync(Caller caller, string listenerId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ListenerRates>().GetAsync(caller, listenerId, TimeSpan.FromMinutes(15), CancellationToken.None);
    }

    [Fact]
    public async Task Rates_FedByHeartbeatsOfTwoNodes_AreSummed_AndSeenOnlyByTheProject()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var a = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.111");
        using var b = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.112");
        var tree = await Seed.TreeAsync(project, cluster, "198.18.98.11");

        await a.ReportAsync(TestAgent.Report(1, VrrpState.Master, listeners: [new(tree.Listener.Id, 1, 100, 1_000, 2_000, new(0, 100, 0, 0, 0, 0))]));
        await b.ReportAsync(TestAgent.Report(1, VrrpState.Backup, listeners: [new(tree.Listener.Id, 0, 10, 100, 200, new(0, 10, 0, 0, 0, 0))]));
        factory.Time.Advance(ListenerRateHistory.Step);
        await a.ReportAsync(TestAgent.Report(1, VrrpState.Master, listeners: [new(tree.Listener.Id, 1, 300, 3_000, 6_000, new(0, 290, 0, 0, 5, 0))]));
        await b.ReportAsync(TestAgent.Report(1, VrrpState.Backup, listeners: [new(tree.Listener.Id, 0, 20, 200, 400, new(0, 20, 0, 0, 0, 0))]));
        factory.Time.Advance(ListenerRateHistory.Step);

        var last = (await RatesAsync(new Caller("tok-member", Role.Member, project.Id), tree.Listener.Id))[^1];

        Assert.Equal((21.0, 210.0, 420.0), (last.ConnectionsPerSecond, last.BytesInPerSecond, last.BytesOutPerSecond));
        Assert.Equal(new HttpResponseRates(0, 20, 0, 0, 0.5, 0), last.Responses);
        await Assert.ThrowsAsync<ProblemException>(() => RatesAsync(new Caller("tok-other", Role.Member, "prj-other"), tree.Listener.Id));
    }
}
