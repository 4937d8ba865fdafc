using Fulcrum.Core.Api;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Audit;

/// <summary>Moves the server's clock by months: a fixture of its own.</summary>
public sealed class AuditRetentionTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    [Fact]
    public async Task Prune_DropsEventsPastRetention_ThenTheOldestBeyondTheCap()
    {
        using var capped = factory.WithWebHostBuilder(builder => builder.UseSetting("Fulcrum:AuditMaxEvents", "3"));
        var http = capped.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", factory.AdminToken);
        using var admin = new ApiClient(http);
        var seed = new Seed(admin);
        var old = await seed.ProjectAsync("old");
        factory.Time.Advance(TimeSpan.FromDays(91));
        var recent = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            recent.Add((await seed.ProjectAsync($"new {i}")).Id);
        }

        // The clock's jump may also have woken the hourly pruning; either way, what is left is the same.
        await capped.Services.GetRequiredService<AuditRetention>().PruneAsync(CancellationToken.None);
        var left = await admin.GetAsync<Page<AuditEventResponse>>("audit-events");

        Assert.Equal(recent[1..].AsEnumerable().Reverse(), left.Items.Select(e => e.ResourceId));
        Assert.DoesNotContain(left.Items, e => e.ResourceId == old.Id);
    }
}
