using System.Net;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Agent;
using Fulcrum.Server.Tests.Infrastructure;

namespace Fulcrum.Server.Tests.Agent;

public sealed class LongPollCapTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    /// <summary>One stolen credential cannot hold more than a couple of the server's connections waiting.</summary>
    [Fact]
    public async Task Snapshot_MorePollsThanTheCapWaiting_TheExtraOneAnswers429_TheOthersStillWake()
    {
        Assert.Equal(2, LongPolls.MaxPerNode);
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.90");
        using var other = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.91");
        var revision = await Seed.RevisionAsync(cluster.Id);

        var first = agent.PollAsync(after: revision, waitSeconds: 60);
        await TestAgent.WaitingAsync(factory, cluster.Id);
        var racing = new[] { agent.PollAsync(after: revision, waitSeconds: 60), agent.PollAsync(after: revision, waitSeconds: 60) };
        var done = await Task.WhenAny(racing).WaitAsync(TestAgent.Patience);
        var othersPoll = other.PollAsync(after: revision, waitSeconds: 60);
        var problem = await (await done).ReadProblemAsync(HttpStatusCode.TooManyRequests);
        await Seed.LoadBalancerAsync(await Seed.ProjectAsync(), cluster, "198.18.97.1");

        Assert.Equal("Too many long polls", problem.Title);
        foreach (var woken in new[] { first, racing.Single(poll => poll != done), othersPoll })
        {
            Assert.Equal(revision + 1, (await (await woken.WaitAsync(TestAgent.Patience)).ReadAsync<ClusterSnapshot>(HttpStatusCode.OK)).Revision);
        }
    }
}
