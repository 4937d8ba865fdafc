using System.Security.Cryptography;
using Fulcrum.Server.Auth;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

namespace Fulcrum.Server.Console.Shell;

/// <summary>
/// One signed-in console connection: its <see cref="Auth.Caller"/>, which the operations authorize exactly as they do
/// an API request, and the project it works in — a project token's own, or the one an admin picked (null: all). An
/// admin's pick is kept in the browser's local storage, encrypted by the server, so a reload or a new tab opens in it.
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider authentication, ProtectedLocalStorage storage)
{
    private const string StorageKey = "fulcrum-project";

    private string? _pickedProjectId;
    private bool _restored;

    public event Action? ProjectChanged;

    /// <summary>A project was made on this connection: the project picker lists it.</summary>
    public event Action? ProjectsChanged;

    public void ProjectMade() => ProjectsChanged?.Invoke();

    public async Task<Caller> CallerAsync() => Caller.From((await authentication.GetAuthenticationStateAsync()).User);

    public async Task<string?> ProjectIdAsync()
    {
        var caller = await CallerAsync();
        return caller.IsAdmin ? _pickedProjectId : caller.ProjectId;
    }

    /// <summary>An admin's choice; a project token stays in its own project.</summary>
    public async Task PickProjectAsync(string? projectId)
    {
        _pickedProjectId = projectId;
        _restored = true;
        // Stored first: once the pages show the pick, a reload keeps it.
        if (projectId is null)
        {
            await storage.DeleteAsync(StorageKey);
        }
        else
        {
            await storage.SetAsync(StorageKey, projectId);
        }

        ProjectChanged?.Invoke();
    }

    /// <summary>
    /// Takes back the project an admin picked on an earlier page load. Called after the first interactive render:
    /// browser storage cannot be reached while the page is prerendered.
    /// </summary>
    public async Task RestoreAsync()
    {
        if (_restored || !(await CallerAsync()).IsAdmin)
        {
            return;
        }

        _restored = true;
        try
        {
            var stored = await storage.GetAsync<string>(StorageKey);
            if (stored.Success && stored.Value != _pickedProjectId)
            {
                _pickedProjectId = stored.Value;
                ProjectChanged?.Invoke();
            }
        }
        catch (CryptographicException)
        {
            // Written under a key ring this server no longer has: start from all projects again.
        }
    }
}
