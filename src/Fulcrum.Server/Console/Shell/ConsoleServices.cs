using Fulcrum.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;

namespace Fulcrum.Server.Console.Shell;

/// <summary>The console's wiring: Blazor (interactive server), MudBlazor, and the cookie that only the console honours.</summary>
public static class ConsoleServices
{
    /// <summary>Picks the scheme per request: the REST API is bearer-only, so a console cookie can never authorize it.</summary>
    public const string SelectorScheme = "fulcrum";

    public static AuthenticationBuilder AddFulcrumAuthentication(this IServiceCollection services) =>
        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, null, selector => selector.ForwardDefaultSelector = http =>
                http.Request.Path.StartsWithSegments("/api") ? TokenAuthenticationHandler.SchemeName : ConsoleSessions.Scheme)
            .AddCookie(ConsoleSessions.Scheme, cookie =>
            {
                cookie.Cookie.Name = ConsoleSessions.CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = ConsoleEndpoints.SignInPath;
                cookie.AccessDeniedPath = ConsoleEndpoints.SignInPath;
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<ConsoleSessions>();
                    if (context.Principal is null || !await sessions.IsValidAsync(context.Principal, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(ConsoleSessions.Scheme);
                    }
                };
            });

    public static void AddFulcrumConsole(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, ConsoleAuthenticationStateProvider>();
        services.AddScoped<ConsoleSessions>();
        services.AddScoped<ConsoleSession>();
        services.AddScoped<ConsoleOperations>();
        services.AddScoped<Overview.OverviewReads>();
        services.AddScoped<Clusters.ClusterReads>();
        services.AddScoped<LoadBalancers.LoadBalancerReads>();
        services.AddSingleton<ClusterEvents>();
        services.AddMudServices();
    }

    public static void MapFulcrumConsole(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapConsoleEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
