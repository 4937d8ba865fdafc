using Fulcrum.Server.Auth;

namespace Fulcrum.Server.Console.Shell;

/// <summary>
/// How a page calls an operation: in a scope of its own, as the signed-in <see cref="Caller"/>. A console connection
/// lives long and its events arrive concurrently, so it must not share one DbContext across calls the way a request
/// does; the operation then authorizes and validates exactly as for the REST API.
/// </summary>
public sealed class ConsoleOperations(IServiceScopeFactory scopes, ConsoleSession session)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Caller, Task<TResult>> call)
        where TService : notnull
    {
        var caller = await session.CallerAsync();
        await using var scope = scopes.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>(), caller);
    }

    public async Task RunAsync<TService>(Func<TService, Caller, Task> call)
        where TService : notnull
    {
        var caller = await session.CallerAsync();
        await using var scope = scopes.CreateAsyncScope();
        await call(scope.ServiceProvider.GetRequiredService<TService>(), caller);
    }
}
