using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Console.LoadBalancers;
using Fulcrum.Server.Http;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Console.LoadBalancers;

public sealed class LoadBalancerReadsTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    private async Task<T> ReadAsync<T>(Func<LoadBalancerReads, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<LoadBalancerReads>());
    }

    [Fact]
    public async Task Page_ShowsTheWholeTree_AndWhatADeleteWouldRemove_ToItsProjectOnly()
    {
        var project = await Seed.ProjectAsync();
        var cluster = await Seed.ClusterAsync();
        using var agent = await TestAgent.JoinAsync(factory, _admin, cluster.Id, "198.18.0.121");
        var tree = await Seed.TreeAsync(project, cluster, "198.18.98.21");
        var member = new Caller("tok-member", Role.Member, project.Id);
        await agent.ReportAsync(TestAgent.Report(await Seed.RevisionAsync(cluster.Id)));

        var view = await ReadAsync(reads => reads.GetAsync(member, tree.LoadBalancer.Id, CancellationToken.None));

        Assert.Equal([tree.Listener.Id], view.Listeners.Select(l => l.Id));
        Assert.Equal(["198.18.1.10", "198.18.1.11"], Assert.Single(view.Groups).Backends.Select(b => b.Address));
        Assert.Equal(new LoadBalancerProgress(ProvisioningStatus.Active, OnlineNodes: 1, AppliedNodes: 1, Error: null), view.Progress);
        Assert.Contains($"the backend group {tree.Group.Name} with 2 backends", view.DeletePlan().Lines());
        Assert.Contains(tree.LoadBalancer.Id, (await ReadAsync(reads => reads.ListAsync(member, project.Id, CancellationToken.None))).Select(lb => lb.Id));

        var stranger = new Caller("tok-other", Role.Member, "prj-other");
        await Assert.ThrowsAsync<ProblemException>(() => ReadAsync(reads => reads.GetAsync(stranger, tree.LoadBalancer.Id, CancellationToken.None)));
        Assert.Empty(await ReadAsync(reads => reads.ListAsync(stranger, null, CancellationToken.None)));
    }
}
