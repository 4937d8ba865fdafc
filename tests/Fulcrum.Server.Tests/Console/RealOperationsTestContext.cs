using System.Security.Claims;
using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Console.Shell;
using Fulcrum.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Fulcrum.Server.Tests.Console;

/// <summary>Console components on the real operations of a test server, signed in as an admin: their writes reach the API's state.</summary>
public abstract class RealOperationsTestContext : ConsoleTestContext
{
    protected RealOperationsTestContext(FulcrumFactory factory)
    {
        Admin = factory.Admin();
        Services.AddSingleton<AuthenticationStateProvider>(new AdminAuthentication());
        Services.AddSingleton(new ProtectedLocalStorage(JSInterop.JSRuntime, factory.Services.GetRequiredService<IDataProtectionProvider>()));
        Services.AddSingleton<ConsoleSession>();
        Services.AddSingleton(factory.Services.GetRequiredService<ClusterEvents>());
        Services.AddSingleton(sp => new ConsoleOperations(factory.Services.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<ConsoleSession>()));
        Render<MudPopoverProvider>();
    }

    protected ApiClient Admin { get; }

    protected Seed Seed => new(Admin);

    private sealed class AdminAuthentication : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "tok-console-test"), new Claim(Caller.RoleClaim, nameof(Role.Admin))], "test"))));
    }
}
