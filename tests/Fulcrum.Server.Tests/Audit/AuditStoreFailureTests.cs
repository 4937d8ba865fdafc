using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Audit;

/// <summary>Breaks the audit log's table: a fixture of its own.</summary>
public sealed class AuditStoreFailureTests(FulcrumFactory factory) : IClassFixture<FulcrumFactory>
{
    [Fact]
    public async Task Write_WhenItsEventCannotBeStored_StillSucceeds()
    {
        using var admin = factory.Admin();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<FulcrumDbContext>().Database.ExecuteSqlRawAsync("DROP TABLE \"AuditEvents\"");
        }

        var created = await admin.CreateAsync<ProjectResponse>("projects", new { name = "kept" });
        var refused = await admin.PostAsync("projects", new { name = "" });

        Assert.Equal("kept", (await admin.GetAsync<ProjectResponse>($"projects/{created.Id}")).Name);
        await refused.ReadProblemAsync(HttpStatusCode.BadRequest);
    }
}
