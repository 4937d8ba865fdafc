using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Fulcrum.Server.Console.Shell;

public static class ConsoleEndpoints
{
    public const string SignInPath = "/sign-in";
    public const string SignOutPath = "/sign-out";

    /// <summary>Sign-out is a form post with an antiforgery token: a link that signs out could be followed from another site.</summary>
    public static void MapConsoleEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost(SignOutPath, async (HttpContext http) =>
        {
            await http.SignOutAsync(ConsoleSessions.Scheme);
            return TypedResults.LocalRedirect(SignInPath);
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
}
