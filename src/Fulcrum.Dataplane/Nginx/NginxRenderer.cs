using System.Globalization;
using System.Net;
using System.Text;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Dataplane.Nginx;

/// <summary>
/// Renders the UDP listeners of a cluster as a complete, standalone nginx configuration (stream module only). The
/// agent runs it as <c>nginx -c {file} -p {prefix} -g 'daemon off;'</c>, one nginx per node, so every path in it
/// comes from the node's facts and nothing is shared between nodes on one host.
/// </summary>
public static class NginxRenderer
{
    /// <summary>
    /// Datagrams a backend sends back per client datagram. One suits the request/response protocols UDP load
    /// balancing is mostly used for (DNS, NTP, RADIUS): the session, and its socket, end as soon as the answer is
    /// relayed instead of lingering for the idle timeout. Protocols that stream several answers per datagram would
    /// need this to be a listener setting.
    /// </summary>
    private const int ResponsesPerDatagram = 1;

    /// <summary>One zone counts the sessions of every listener, keyed by the listener's own address and port.</summary>
    private const string SessionZone = "listener_sessions";

    /// <param name="directory">The generation directory; this configuration has no side files to refer to.</param>
    /// <param name="downBackendIds">Backends the agent's own UDP health checks find down.</param>
    public static IReadOnlyList<RenderedFile> Render(ClusterSnapshot snapshot, NodeFacts facts, string directory, IReadOnlySet<string> downBackendIds)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(downBackendIds);

        var clusterId = SafeValues.Id(snapshot.ClusterId, "clusterId");
        var runtime = SafeValues.Path(facts.Runtime, "facts.runtime");
        var modules = SafeValues.Path(facts.NginxModulesDirectory, "facts.nginxModulesDirectory");
        SnapshotAddresses.Check(snapshot);
        var listeners = UdpListeners(snapshot, downBackendIds);

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            # UDP listeners of cluster {{clusterId}}, rendered by Fulcrum; the agent rewrites this file.
            load_module {{modules}}/ngx_stream_module.so;
            pid {{runtime}}/nginx.pid;
            # The agent runs nginx in the foreground and keeps what it says: no log file to rotate or share.
            error_log stderr warn;
            worker_processes auto;
            # Every UDP session holds two descriptors (client and backend side) until it ends.
            worker_rlimit_nofile 8192;

            events {
                worker_connections 4096;
            }

            stream {

            """);

        if (listeners.Any(l => l.ConnectionLimit is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"    limit_conn_zone $server_addr:$server_port zone={SessionZone}:1m;\n\n");
        }

        foreach (var listener in listeners)
        {
            listener.WriteTo(text);
        }

        TrimBlankLine(text);
        text.Append("}\n");
        return [new RenderedFile(RenderedConfig.NginxConfig, text.ToString())];
    }

    private static List<UdpListener> UdpListeners(ClusterSnapshot snapshot, IReadOnlySet<string> downBackendIds)
    {
        var acls = snapshot.Acls ?? throw SafeValues.Refuse("acls", "is required.");
        var result = new List<UdpListener>();
        var loadBalancers = snapshot.LoadBalancers ?? throw SafeValues.Refuse("loadBalancers", "is required.");
        for (var i = 0; i < loadBalancers.Count; i++)
        {
            var lb = loadBalancers[i];
            if (lb is not { Enabled: true })
            {
                continue;
            }

            var lbField = $"loadBalancers[{i}]";
            var listeners = lb.Listeners ?? throw SafeValues.Refuse($"{lbField}.listeners", "is required.");
            for (var j = 0; j < listeners.Count; j++)
            {
                var listener = listeners[j];
                if (listener is { Protocol: ListenerProtocol.Udp, Enabled: true })
                {
                    result.Add(UdpListener.From(lb, lbField, listener, $"{lbField}.listeners[{j}]", acls, downBackendIds));
                }
            }
        }

        return result;
    }

    /// <summary>Room for the upstream's servers in shared memory: a server takes well under 1 KiB there.</summary>
    private static int ZoneKilobytes(int servers) => 64 + servers;

    private static void TrimBlankLine(StringBuilder text)
    {
        if (text.Length >= 2 && text[^1] == '\n' && text[^2] == '\n')
        {
            text.Length--;
        }
    }

    private sealed record UdpListener(
        string Id,
        string LoadBalancerId,
        string Listen,
        Scheduler Scheduler,
        IReadOnlyList<Server> Servers,
        int? ConnectionLimit,
        int TimeoutMs,
        AclMode? AclMode,
        IReadOnlyList<IPNetwork> AclNetworks)
    {
        public static UdpListener From(
            SnapshotLoadBalancer lb,
            string lbField,
            SnapshotListener listener,
            string field,
            IReadOnlyList<SnapshotAcl> acls,
            IReadOnlySet<string> downBackendIds)
        {
            var vip = SafeValues.Address(lb.Vip, $"{lbField}.vip");
            var port = SafeValues.Range(listener.Port, 1, 65535, $"{field}.port");
            var scheduler = listener.Scheduler is Scheduler.RoundRobin or Scheduler.LeastConnections or Scheduler.SourceIp
                ? listener.Scheduler
                : throw SafeValues.Refuse($"{field}.scheduler", "is not a scheduler nginx offers.");
            var timeouts = listener.Timeouts ?? new TimeoutSpec(null, null, null);

            // nginx has one idle timeout for both sides of a session: it must outlast the longer of the two.
            var timeoutMs = Math.Max(
                SafeValues.Range(timeouts.ClientMs ?? 50_000, 1, TimeoutSpec.MaxMs, $"{field}.timeouts.clientMs"),
                SafeValues.Range(timeouts.ServerMs ?? 50_000, 1, TimeoutSpec.MaxMs, $"{field}.timeouts.serverMs"));

            var (aclMode, aclNetworks) = Acl(listener.Acl, $"{field}.acl", acls);
            return new UdpListener(
                SafeValues.Id(listener.Id, $"{field}.id"),
                SafeValues.Id(lb.Id, $"{lbField}.id"),
                SafeValues.Endpoint(vip, port),
                scheduler,
                Backends(lb, lbField, listener, field, downBackendIds),
                listener.ConnectionLimit is { } limit ? SafeValues.Range(limit, 1, ListenerRequest.MaxConnectionLimit, $"{field}.connectionLimit") : null,
                timeoutMs,
                aclMode,
                aclNetworks);
        }

        public void WriteTo(StringBuilder text)
        {
            if (Servers.Count == 0)
            {
                // An upstream needs a server, and a made-up one would only hide the problem: without backends the
                // listener is left out, so nothing listens and clients get an ICMP port unreachable at once.
                text.Append(CultureInfo.InvariantCulture, $"    # Listener {Id} of load balancer {LoadBalancerId} ({Listen}) has no backends: not served.\n\n");
                return;
            }

            text.Append(CultureInfo.InvariantCulture, $"    # Listener {Id} of load balancer {LoadBalancerId}.\n");
            text.Append(CultureInfo.InvariantCulture, $"    upstream {Id} {{\n");
            // Without a zone each worker keeps its own copy of the balancing state: with two workers a client's
            // datagrams, spread over them by reuseport, would follow two interleaved round robins instead of one.
            text.Append(CultureInfo.InvariantCulture, $"        zone {Id} {ZoneKilobytes(Servers.Count)}k;\n");
            switch (Scheduler)
            {
                case Scheduler.LeastConnections:
                    text.Append("        least_conn;\n");
                    break;
                case Scheduler.SourceIp:
                    text.Append("        # hash allows no backup servers: backups stay down while a primary can serve, and serve when none can.\n");
                    text.Append("        hash $remote_addr consistent;\n");
                    break;
            }

            foreach (var server in Servers)
            {
                text.Append(CultureInfo.InvariantCulture, $"        server {server.Endpoint}");
                if (server.Weight > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $" weight={server.Weight}");
                }

                if (server.Backup)
                {
                    text.Append(" backup");
                }

                text.Append(server.DownBecause is null ? ";" : " down;");
                text.Append(CultureInfo.InvariantCulture, $" # {server.Id}");
                if (server.DownBecause is not null)
                {
                    text.Append(CultureInfo.InvariantCulture, $": {server.DownBecause}");
                }

                text.Append('\n');
            }

            text.Append("    }\n\n");
            text.Append("    server {\n");
            text.Append(CultureInfo.InvariantCulture, $"        listen {Listen} udp reuseport;\n");
            text.Append(CultureInfo.InvariantCulture, $"        proxy_pass {Id};\n");
            text.Append(CultureInfo.InvariantCulture, $"        proxy_responses {ResponsesPerDatagram};\n");
            text.Append(CultureInfo.InvariantCulture, $"        proxy_timeout {TimeoutMs}ms;\n");
            if (ConnectionLimit is { } limit)
            {
                text.Append(CultureInfo.InvariantCulture, $"        limit_conn {SessionZone} {limit};\n");
            }

            if (AclMode is { } mode)
            {
                var (listed, rest) = mode == Core.Api.AclMode.Allow ? ("allow", "deny") : ("deny", "allow");
                foreach (var network in AclNetworks)
                {
                    text.Append(CultureInfo.InvariantCulture, $"        {listed} {network};\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"        {rest} all;\n");
            }

            text.Append("    }\n\n");
        }

        private static (AclMode? Mode, IReadOnlyList<IPNetwork> Networks) Acl(AclBinding? binding, string field, IReadOnlyList<SnapshotAcl> acls)
        {
            if (binding is null)
            {
                return (null, []);
            }

            var mode = binding.Mode is Core.Api.AclMode.Allow or Core.Api.AclMode.Deny
                ? binding.Mode.Value
                : throw SafeValues.Refuse($"{field}.mode", "must be allow or deny.");
            var id = SafeValues.Id(binding.AclId, $"{field}.aclId");
            var acl = acls.FirstOrDefault(a => a?.Id == id) ?? throw SafeValues.Refuse($"{field}.aclId", $"names an ACL ({id}) missing from the snapshot.");
            var cidrs = acl.Cidrs ?? throw SafeValues.Refuse($"acls[{id}].cidrs", "is required.");
            return (mode, cidrs.Select((cidr, k) => SafeValues.Cidr(cidr, $"acls[{id}].cidrs[{k}]")).ToList());
        }

        private static List<Server> Backends(
            SnapshotLoadBalancer lb,
            string lbField,
            SnapshotListener listener,
            string field,
            IReadOnlySet<string> downBackendIds)
        {
            if (listener.DefaultBackendGroupId is null)
            {
                return [];
            }

            var groupId = SafeValues.Id(listener.DefaultBackendGroupId, $"{field}.defaultBackendGroupId");
            var groups = lb.BackendGroups ?? throw SafeValues.Refuse($"{lbField}.backendGroups", "is required.");
            var groupIndex = groups.ToList().FindIndex(g => g?.Id == groupId);
            if (groupIndex < 0)
            {
                throw SafeValues.Refuse($"{field}.defaultBackendGroupId", $"names a backend group ({groupId}) its load balancer does not have.");
            }

            var groupField = $"{lbField}.backendGroups[{groupIndex}]";
            var backends = groups[groupIndex].Backends ?? throw SafeValues.Refuse($"{groupField}.backends", "is required.");
            var servers = new List<Server>();
            for (var k = 0; k < backends.Count; k++)
            {
                var backend = backends[k] ?? throw SafeValues.Refuse($"{groupField}.backends[{k}]", "is required.");
                var backendField = $"{groupField}.backends[{k}]";
                var id = SafeValues.Id(backend.Id, $"{backendField}.id");
                var weight = SafeValues.Range(backend.Weight, 0, BackendRequest.MaxWeight, $"{backendField}.weight");
                var downBecause = backend.AdminState switch
                {
                    BackendAdminState.Disabled => "disabled",
                    BackendAdminState.Drain => "draining",
                    BackendAdminState.Enabled when weight == 0 => "weight 0",
                    BackendAdminState.Enabled when downBackendIds.Contains(id) => "failing its health check",
                    BackendAdminState.Enabled => null,
                    _ => throw SafeValues.Refuse($"{backendField}.adminState", "must be enabled, drain or disabled."),
                };
                servers.Add(new Server(
                    id,
                    SafeValues.Endpoint(SafeValues.Address(backend.Address, $"{backendField}.address"), SafeValues.Range(backend.Port, 1, 65535, $"{backendField}.port")),
                    weight,
                    backend.Backup,
                    downBecause));
            }

            return listener.Scheduler == Scheduler.SourceIp ? WithoutBackupFlags(servers) : servers;
        }

        /// <summary>
        /// nginx refuses <c>backup</c> with <c>hash</c>. The agent's health checks tell the renderer what nginx would
        /// learn itself, so backups serve exactly when no primary can: the primaries otherwise, the backups then.
        /// </summary>
        private static List<Server> WithoutBackupFlags(List<Server> servers)
        {
            var primaryServes = servers.Any(s => !s.Backup && s.DownBecause is null);
            return servers.Select(s => s.Backup
                ? s with { Backup = false, DownBecause = s.DownBecause ?? (primaryServes ? "backup, standing by" : null) }
                : s).ToList();
        }
    }

    private sealed record Server(string Id, string Endpoint, int Weight, bool Backup, string? DownBecause);
}
