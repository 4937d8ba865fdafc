using System.Text.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Agent;

/// <summary>What a heartbeat writes besides the node's own facts, from a whole picture or from a report of changes.</summary>
public static class Heartbeats
{
    /// <summary>What a node keeps of its load balancer errors: null when there are none, so a healthy node writes nothing new.</summary>
    public static string? LoadBalancerErrorsJson(IReadOnlyList<LoadBalancerApplyError>? errors) =>
        errors is null or [] ? null : JsonSerializer.Serialize(errors, FulcrumJson.Options);

    public static IReadOnlyList<LoadBalancerApplyError> LoadBalancerErrors(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<LoadBalancerApplyError>>(json, FulcrumJson.Options) ?? [];

    /// <summary>
    /// Sets the health of every backend of the cluster: as reported, UNKNOWN for those left out. Rows already right
    /// are not written, so a steady cluster's heartbeats write nothing here.
    /// </summary>
    /// <returns>How many backends changed health.</returns>
    public static async Task<int> WriteHealthAsync(FulcrumDbContext db, string clusterId, IReadOnlyList<BackendHealthReport> reports, CancellationToken ct)
    {
        var up = reports.Where(r => r.Health == BackendHealth.Up).Select(r => r.BackendId).ToList();
        var down = reports.Where(r => r.Health == BackendHealth.Down).Select(r => r.BackendId).ToList();
        var known = up.Concat(down).ToList();
        var backends = db.Backends.Where(b => b.ClusterId == clusterId);

        return await backends.Where(b => b.Health != BackendHealth.Up && up.Contains(b.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Health, BackendHealth.Up), ct)
            + await backends.Where(b => b.Health != BackendHealth.Down && down.Contains(b.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Health, BackendHealth.Down), ct)
            + await backends.Where(b => b.Health != BackendHealth.Unknown && !known.Contains(b.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Health, BackendHealth.Unknown), ct);
    }

    /// <summary>Sets the health of the reported backends of the cluster only; the others keep theirs.</summary>
    /// <returns>How many backends changed health.</returns>
    public static async Task<int> WriteHealthChangesAsync(FulcrumDbContext db, string clusterId, IReadOnlyList<BackendHealthReport> changes, CancellationToken ct)
    {
        var changed = 0;
        if (changes.Count == 0)
        {
            return changed;
        }

        foreach (var health in new[] { BackendHealth.Up, BackendHealth.Down, BackendHealth.Unknown })
        {
            var ids = changes.Where(r => r.Health == health).Select(r => r.BackendId).ToList();
            if (ids.Count > 0)
            {
                changed += await db.Backends.Where(b => b.ClusterId == clusterId && b.Health != health && ids.Contains(b.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(b => b.Health, health), ct);
            }
        }

        return changed;
    }

    /// <summary>
    /// Whether a heartbeat changed what the console shows of the node or its cluster: its VRRP state, coming back
    /// online, the revision it applied, its errors, its restarts or its backends' health. A steady node's heartbeats
    /// wake no page.
    /// </summary>
    public static bool ShowsChange(Node before, NodeReport report, bool wasOnline, int healthChanges) =>
        !wasOnline
        || healthChanges > 0
        || before.VrrpState != report.VrrpState
        || before.AppliedRevision != report.AppliedRevision
        || before.LastError != report.LastError
        || before.LoadBalancerErrors != LoadBalancerErrorsJson(report.LoadBalancerErrors)
        || !(before.Restarts ?? []).SequenceEqual(report.Restarts ?? []);

    /// <summary>Updates the node's counters of the reported listeners of its cluster and drops those of stopped ones.</summary>
    /// <returns>The counters taken: those of listeners of the node's cluster.</returns>
    public static async Task<IReadOnlyList<ListenerCounters>> WriteCounterChangesAsync(
        FulcrumDbContext db, NodeCaller node, IReadOnlyList<ListenerCounters> changes, IReadOnlyList<string> stopped, DateTime now, CancellationToken ct)
    {
        if (stopped.Count > 0)
        {
            var stoppedIds = stopped.ToList();
            await db.ListenerStats.Where(s => s.NodeId == node.NodeId && stoppedIds.Contains(s.ListenerId)).ExecuteDeleteAsync(ct);
        }

        if (changes.Count == 0)
        {
            return [];
        }

        var reportedIds = changes.Select(r => r.ListenerId).ToList();
        var ours = (await db.Listeners.Where(l => l.ClusterId == node.ClusterId && reportedIds.Contains(l.Id)).Select(l => l.Id).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var stored = await db.ListenerStats.Where(s => s.NodeId == node.NodeId && reportedIds.Contains(s.ListenerId))
            .ToDictionaryAsync(s => s.ListenerId, StringComparer.Ordinal, ct);
        var taken = changes.Where(r => ours.Contains(r.ListenerId)).ToList();
        foreach (var counters in taken)
        {
            if (!stored.TryGetValue(counters.ListenerId, out var stats))
            {
                stats = new ListenerStats { NodeId = node.NodeId, ListenerId = counters.ListenerId };
                db.ListenerStats.Add(stats);
            }

            stats.Apply(counters, now);
        }

        await db.SaveChangesAsync(ct);
        return taken;
    }

    /// <summary>The reported access logs of listeners of the node's cluster; the others are ignored, like their counters.</summary>
    public static async Task<IReadOnlyList<ListenerAccessLog>> AccessLogsOfClusterAsync(FulcrumDbContext db, NodeCaller node, IReadOnlyList<ListenerAccessLog> logs, CancellationToken ct)
    {
        if (logs.Count == 0)
        {
            return [];
        }

        var reportedIds = logs.Select(l => l.ListenerId).ToList();
        var ours = (await db.Listeners.Where(l => l.ClusterId == node.ClusterId && reportedIds.Contains(l.Id)).Select(l => l.Id).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        return [.. logs.Where(l => ours.Contains(l.ListenerId))];
    }

    /// <summary>Replaces the node's counters with the reported ones, for listeners of its cluster only.</summary>
    /// <returns>The counters taken: those of listeners of the node's cluster.</returns>
    public static async Task<IReadOnlyList<ListenerCounters>> WriteCountersAsync(FulcrumDbContext db, NodeCaller node, IReadOnlyList<ListenerCounters> reports, DateTime now, CancellationToken ct)
    {
        var reportedIds = reports.Select(r => r.ListenerId).ToList();
        var ours = (await db.Listeners.Where(l => l.ClusterId == node.ClusterId && reportedIds.Contains(l.Id)).Select(l => l.Id).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var stored = await db.ListenerStats.Where(s => s.NodeId == node.NodeId).ToDictionaryAsync(s => s.ListenerId, StringComparer.Ordinal, ct);

        var taken = reports.Where(r => ours.Contains(r.ListenerId)).ToList();
        foreach (var counters in taken)
        {
            if (!stored.TryGetValue(counters.ListenerId, out var stats))
            {
                stats = new ListenerStats { NodeId = node.NodeId, ListenerId = counters.ListenerId };
                db.ListenerStats.Add(stats);
            }

            stats.Apply(counters, now);
        }

        db.ListenerStats.RemoveRange(stored.Values.Where(s => !ours.Contains(s.ListenerId)));
        await db.SaveChangesAsync(ct);
        return taken;
    }
}
