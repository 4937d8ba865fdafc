using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Listeners;

/// <summary>A listener's recent rates, seen like the listener itself (404 for a listener the caller cannot see).</summary>
public sealed class ListenerRates(FulcrumDbContext db, ListenerRateHistory history)
{
    public async Task<IReadOnlyList<ListenerRatePoint>> GetAsync(Caller caller, string listenerId, TimeSpan window, CancellationToken ct)
    {
        var listener = await caller.Visible(db.Listeners.AsNoTracking()).ByIdAsync(listenerId, "listener", ct);
        return history.Rates(listener.Id, window);
    }
}
