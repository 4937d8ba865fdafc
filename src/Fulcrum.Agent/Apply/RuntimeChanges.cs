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
/// <param name="Backup">A backup server, used only when no other server is up.</param>
public sealed record RuntimeServer(string Backend, string Server, string Address, int Port, int Weight, bool Disabled, bool Backup = false)
{
    public string Name => $"{Backend}/{Server}";
}

/// <summary>
/// A server that moves from <see cref="Before"/> to <see cref="After"/>: added when there is no before, removed when
/// there is no after, changed in place otherwise.
/// </summary>
/// <param name="AddArguments">
/// For a server to add: everything after its name in <c>add server</c>, as the rendered file's <c>server</c> line and
/// its backend's <c>default-server</c> say — haproxy 2.6 applies no <c>default-server</c> to a server added at runtime.
/// </param>
public sealed record RuntimeServerChange(RuntimeServer? Before, RuntimeServer? After, string? AddArguments = null)
{
    /// <summary>Whether the server is deleted (and maybe added again): the backup flag cannot be changed at runtime.</summary>
    public bool Deletes => Before is not null && (After is null || After.Backup != Before.Backup);

    /// <summary>Whether the server is added (or added again).</summary>
    public bool Adds => After is not null && (Before is null || After.Backup != Before.Backup);

    /// <summary>
    /// The runtime API commands that take haproxy from <see cref="Before"/> to <see cref="After"/>, save the
    /// <c>del server</c> of a deleted one (see <see cref="DeleteCommand"/>), which haproxy refuses while it has
    /// connections: maintenance first, its sessions shut, then deleted once they are gone.
    /// </summary>
    public IEnumerable<string> Commands()
    {
        if (Deletes)
        {
            yield return $"set server {Before!.Name} state maint";
            yield return $"shutdown sessions server {Before.Name}";
            yield break;
        }

        if (Before is null)
        {
            yield break;
        }

        foreach (var command in InPlace(Before, After!))
        {
            yield return command;
        }
    }

    /// <summary>The commands after a deleted server is gone: adding it, again when only its backup flag changed.</summary>
    public IEnumerable<string> AddCommands()
    {
        if (!Adds)
        {
            yield break;
        }

        // A server added at runtime starts in maintenance with its checks off.
        yield return $"add server {After!.Name} {AddArguments}";
        if (AddArguments!.Split(' ').Contains("check"))
        {
            yield return $"enable health {After.Name}";
        }

        if (!After.Disabled)
        {
            yield return $"set server {After.Name} state ready";
        }
    }

    public string? DeleteCommand => Deletes ? $"del server {Before!.Name}" : null;

    private static IEnumerable<string> InPlace(RuntimeServer before, RuntimeServer after)
    {
        if (after.Disabled && !before.Disabled)
        {
            yield return $"set server {after.Name} state maint";
        }

        if (after.Address != before.Address || after.Port != before.Port)
        {
            yield return $"set server {after.Name} addr {after.Address} port {after.Port.ToString(CultureInfo.InvariantCulture)}";
        }

        if (after.Weight != before.Weight)
        {
            yield return $"set server {after.Name} weight {after.Weight.ToString(CultureInfo.InvariantCulture)}";
        }

        if (!after.Disabled && before.Disabled)
        {
            yield return $"set server {after.Name} state ready";
        }
    }
}

/// <summary>
/// Whether a new snapshot differs from the served one only in what haproxy's runtime API can change without a
/// reload — the backends of existing groups: added, removed, switched to or from backup, their address, port, weight
/// and admin state — and which servers change. Decided on the snapshots: everything else must be equal, so a listener,
/// a group, a health check or anything else changed means a reload. Servers are matched by name (the backend's id),
/// as haproxy's server-state file matches them on the next reload: a server added at runtime keeps its state there
/// whatever its position in the file.
/// </summary>
public static class RuntimeChanges
{
    /// <summary>
    /// The servers to change in place, or null when only a reload can take haproxy to <paramref name="next"/>.
    /// </summary>
    /// <param name="nextConfig">haproxy's configuration rendered for <paramref name="next"/>, whose server lines servers are added with.</param>
    public static IReadOnlyList<RuntimeServerChange>? Plan(ClusterSnapshot served, ClusterSnapshot next, string nextConfig)
    {
        if (Shape(served) != Shape(next))
        {
            return null;
        }

        var before = Servers(served);
        var after = Servers(next);
        var changes = new List<RuntimeServerChange>();
        Dictionary<string, string>? lines = null;
        foreach (var (key, server) in after)
        {
            before.TryGetValue(key, out var old);
            if (old == server)
            {
                continue;
            }

            var change = new RuntimeServerChange(old, server);
            if (change.Adds)
            {
                lines ??= AddArguments(nextConfig);
                // haproxy 2.6 takes no cookie on a server added at runtime: a cookie-sticky backend is reloaded.
                if (!lines.TryGetValue(server.Name, out var arguments) || arguments.Split(' ').Contains("cookie"))
                {
                    return null;
                }

                change = change with { AddArguments = arguments };
            }

            changes.Add(change);
        }

        changes.AddRange(before.Where(b => !after.ContainsKey(b.Key)).Select(b => new RuntimeServerChange(b.Value, null)));
        return changes;
    }

    /// <summary>
    /// The <c>add server</c> arguments of every server line of every backend section: the line's own after the name,
    /// then the backend's <c>default-server</c> settings. <c>disabled</c> is left out: an added server starts in
    /// maintenance anyway, and <c>disabled</c> would put it in a configured maintenance the runtime API cannot end.
    /// </summary>
    public static Dictionary<string, string> AddArguments(string config)
    {
        var servers = new Dictionary<string, string>(StringComparer.Ordinal);
        string? backend = null;
        string[] defaults = [];
        foreach (var line in config.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                backend = fields is ["backend", var name, ..] ? name : null;
                defaults = [];
            }
            else if (backend is not null && fields is ["default-server", .. var settings])
            {
                defaults = settings;
            }
            else if (backend is not null && fields is ["server", var server, .. var arguments])
            {
                servers[$"{backend}/{server}"] = string.Join(' ', arguments.Where(a => a != "disabled").Concat(defaults));
            }
        }

        return servers;
    }

    /// <summary>The snapshot with the backends of every group left out, and no revision.</summary>
    private static string Shape(ClusterSnapshot snapshot) => JsonSerializer.Serialize(
        snapshot with
        {
            Revision = 0,
            LoadBalancers =
            [
                .. snapshot.LoadBalancers.Select(lb => lb with
                {
                    BackendGroups = [.. lb.BackendGroups.Select(g => g with { Backends = [] })],
                }),
            ],
        },
        FulcrumJson.Options);

    /// <summary>
    /// Every server of every haproxy backend, by name, as the renderer writes them: enabled tcp, http and https
    /// listeners of enabled load balancers, each with its default group and the groups of its enabled forward rules.
    /// </summary>
    private static Dictionary<(string Backend, string Server), RuntimeServer> Servers(ClusterSnapshot snapshot)
    {
        var servers = new Dictionary<(string, string), RuntimeServer>();
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
                    var name = $"{listener.Id}_{group.Id}";
                    foreach (var backend in group.Backends)
                    {
                        var address = IPAddress.TryParse(backend.Address, out var parsed) ? parsed.ToString() : backend.Address;
                        var weight = backend.AdminState is BackendAdminState.Drain ? 0 : backend.Weight;
                        servers[(name, backend.Id)] = new RuntimeServer(
                            name, backend.Id, address, backend.Port, weight, backend.AdminState is BackendAdminState.Disabled, backend.Backup);
                    }
                }
            }
        }

        return servers;
    }
}
