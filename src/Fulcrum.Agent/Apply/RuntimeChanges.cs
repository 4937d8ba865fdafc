using System.Globalization;
using System.Net;
using System.Text.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Agent.Apply;

/// <summary>One haproxy server as the configuration of a generation describes it.</summary>
/// <param name="Backend">haproxy's backend: one per listener and backend group (<c>listenerId_groupId</c>).</param>
/// <param name="Server">The server's name: the backend's id.</param>
/// <param name="Weight">The weight haproxy uses: 0 while draining.</param>
/// <param name="Disabled">In maintenance: the backend's admin state is disabled.</param>
public sealed record RuntimeServer(string Backend, string Server, string Address, int Port, int Weight, bool Disabled);

/// <summary>A server whose address, weight or admin state moves from <see cref="Before"/> to <see cref="After"/>.</summary>
public sealed record RuntimeServerChange(RuntimeServer Before, RuntimeServer After)
{
    /// <summary>haproxy's runtime API commands that take <see cref="Before"/> to <see cref="After"/>.</summary>
    public IEnumerable<string> Commands()
    {
        var name = $"{After.Backend}/{After.Server}";
        if (After.Disabled && !Before.Disabled)
        {
            yield return $"set server {name} state maint";
        }

        if (After.Address != Before.Address || After.Port != Before.Port)
        {
            yield return $"set server {name} addr {After.Address} port {After.Port.ToString(CultureInfo.InvariantCulture)}";
        }

        if (After.Weight != Before.Weight)
        {
            yield return $"set server {name} weight {After.Weight.ToString(CultureInfo.InvariantCulture)}";
        }

        if (!After.Disabled && Before.Disabled)
        {
            yield return $"set server {name} state ready";
        }
    }
}

/// <summary>
/// Whether a new snapshot differs from the served one only in what haproxy's runtime API can change without a
/// reload — a backend's address, port, weight and admin state — and which servers change. Decided on the snapshots,
/// not on the rendered text: everything but those four fields of existing backends must be equal, so a backend
/// added, removed or reordered, a backup flag, a listener or anything else changed means a reload.
/// </summary>
public static class RuntimeChanges
{
    /// <summary>The servers to change in place, or null when only a reload can take haproxy to <paramref name="next"/>.</summary>
    public static IReadOnlyList<RuntimeServerChange>? Plan(ClusterSnapshot served, ClusterSnapshot next)
    {
        if (Shape(served) != Shape(next))
        {
            return null;
        }

        var before = Servers(served);
        var after = Servers(next);
        var changes = new List<RuntimeServerChange>();
        foreach (var (key, server) in after)
        {
            var old = before[key];
            if (old != server)
            {
                // haproxy's static algorithm (balance source) takes weights of 0 % or 100 % only at runtime.
                if (old.Weight != server.Weight && key.SourceIp)
                {
                    return null;
                }

                changes.Add(new RuntimeServerChange(old, server));
            }
        }

        return changes;
    }

    /// <summary>The snapshot with the fields a runtime change may touch blanked out, and no revision.</summary>
    private static string Shape(ClusterSnapshot snapshot) => JsonSerializer.Serialize(
        snapshot with
        {
            Revision = 0,
            LoadBalancers =
            [
                .. snapshot.LoadBalancers.Select(lb => lb with
                {
                    BackendGroups =
                    [
                        .. lb.BackendGroups.Select(g => g with
                        {
                            Backends = [.. g.Backends.Select(b => b with { Address = "", Port = 0, Weight = 0, AdminState = BackendAdminState.Enabled })],
                        }),
                    ],
                }),
            ],
        },
        FulcrumJson.Options);

    /// <summary>
    /// Every server of every haproxy backend, as the renderer writes them: enabled tcp, http and https listeners of
    /// enabled load balancers, each with its default group and the groups of its enabled forward rules.
    /// </summary>
    private static Dictionary<ServerKey, RuntimeServer> Servers(ClusterSnapshot snapshot)
    {
        var servers = new Dictionary<ServerKey, RuntimeServer>();
        foreach (var lb in snapshot.LoadBalancers.Where(lb => lb.Enabled))
        {
            foreach (var listener in lb.Listeners.Where(l => l.Enabled && l.Protocol is not ListenerProtocol.Udp))
            {
                var groupIds = new[] { listener.DefaultBackendGroupId }
                    .Concat(listener.Rules.Where(r => r.Enabled).Select(r => r.Action?.BackendGroupId))
                    .OfType<string>()
                    .Distinct(StringComparer.Ordinal);
                foreach (var group in groupIds.Select(id => lb.BackendGroups.FirstOrDefault(g => g.Id == id)).OfType<SnapshotBackendGroup>())
                {
                    for (var i = 0; i < group.Backends.Count; i++)
                    {
                        var backend = group.Backends[i];
                        var name = $"{listener.Id}_{group.Id}";
                        var address = IPAddress.TryParse(backend.Address, out var parsed) ? parsed.ToString() : backend.Address;
                        var weight = backend.AdminState is BackendAdminState.Drain ? 0 : backend.Weight;
                        servers[new ServerKey(name, i, listener.Scheduler is Scheduler.SourceIp)] =
                            new RuntimeServer(name, backend.Id, address, backend.Port, weight, backend.AdminState is BackendAdminState.Disabled);
                    }
                }
            }
        }

        return servers;
    }

    private sealed record ServerKey(string Backend, int Index, bool SourceIp);
}
