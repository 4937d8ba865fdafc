using Fulcrum.Core.Api;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Backends;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Console.Audit;

/// <summary>The console calls the operations as <c>ConsoleOperations</c> does: a scope per call, the signed-in caller.</summary>
public sealed class ConsoleWritesAuditTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    private readonly ApiClient _admin = factory.Admin();
    private Seed Seed => new(_admin);

    private async Task<T> RunAsync<TService, T>(Func<TService, Task<T>> call)
        where TService : notnull
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    [Fact]
    public async Task Drain_FromTheConsole_IsRecordedAndListedOnItsLoadBalancer()
    {
        var project = await Seed.ProjectAsync();
        var tree = await Seed.TreeAsync(project, await Seed.ClusterAsync(), "198.18.62.1");
        var member = new Caller("tok-console", Role.Member, project.Id);
        var backend = tree.Backends[0];

        await RunAsync<BackendOperations, Versioned<BackendResponse>>(ops => ops.UpdateAsync(
            member, backend.Id, new BackendRequest(backend.BackendGroupId, backend.Name, backend.Address, backend.Port, backend.Weight, backend.Backup, BackendAdminState.Drain),
            Write.Unconditional(), CancellationToken.None));
        var page = await RunAsync<AuditEventOperations, Page<AuditEventResponse>>(audit => audit.ListAsync(
            member, new AuditEventFilter(null, null, tree.LoadBalancer.Id, null, null, null, null), 0, 20, CancellationToken.None));

        var drained = page.Items[0];
        Assert.Equal(("drain", backend.Id, "tok-console", tree.LoadBalancer.Id), (drained.Action, drained.ResourceId, drained.Actor.TokenId, drained.LoadBalancerId));
        Assert.Equal(6, page.Total);
    }
}
