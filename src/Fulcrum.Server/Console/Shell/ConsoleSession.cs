using Fulcrum.Server.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace Fulcrum.Server.Console.Shell;

/// <summary>
/// One signed-in console connection: its <see cref="Auth.Caller"/>, which the operations authorize exactly as they do
/// an API request, and the project it works in — a project token's own, or the one an admin picked (null: all).
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider authentication)
{
    private string? _pickedProjectId;

    public event Action? ProjectChanged;

    public async Task<Caller> CallerAsync() => Caller.From((await authentication.GetAuthenticationStateAsync()).User);

    public async Task<string?> ProjectIdAsync()
    {
        var caller = await CallerAsync();
        return caller.IsAdmin ? _pickedProjectId : caller.ProjectId;
    }

    /// <summary>An admin's choice; a project token stays in its own project.</summary>
    public void PickProject(string? projectId)
    {
        _pickedProjectId = projectId;
        ProjectChanged?.Invoke();
    }
}
