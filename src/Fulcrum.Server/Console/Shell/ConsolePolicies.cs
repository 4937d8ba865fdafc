using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Fulcrum.Server.Console.Shell;

/// <summary>
/// What the console shows to whom. Showing is not enforcing: every write goes through an operation, which checks the
/// <see cref="Caller"/> again exactly as for the REST API.
/// </summary>
public static class ConsolePolicies
{
    public const string Admin = "console-admin";
    public const string Writer = "console-writer";

    public static AuthorizationBuilder AddConsolePolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Admin, policy => policy.RequireClaim(Caller.RoleClaim, nameof(Role.Admin)))
        .AddPolicy(Writer, policy => policy.RequireClaim(Caller.RoleClaim, nameof(Role.Admin), nameof(Role.Member)));
}
