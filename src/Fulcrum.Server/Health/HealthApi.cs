using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Health;

public static class HealthApi
{
    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: it can also reach its database.</summary>
    public static void MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", async (FulcrumDbContext db, CancellationToken ct) =>
                await db.Database.CanConnectAsync(ct)
                    ? Results.Text("ready")
                    : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unreachable"))
            .AllowAnonymous()
            .ExcludeFromDescription();
    }
}
