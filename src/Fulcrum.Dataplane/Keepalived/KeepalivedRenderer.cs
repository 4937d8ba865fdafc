using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Dataplane.Keepalived;

/// <summary>
/// Renders one node's keepalived configuration: a single VRRP instance for the cluster carrying the VIP of every
/// enabled load balancer, so the nodes elect one holder for all of them. The agent gives keepalived its pid files on
/// the command line (<c>-p</c>, <c>-r</c>), which keeps several nodes on one host apart.
/// </summary>
public static class KeepalivedRenderer
{
    /// <summary>
    /// pgrep reads the pid file itself and also checks the process name, so a pid reused by another program does not
    /// pass for haproxy, and no shell (nor its quoting) is involved.
    /// </summary>
    private const string Pgrep = "/usr/bin/pgrep";

    /// <summary>
    /// In the runtime directory: the agent writes 1 when haproxy cannot be brought back, 0 once it runs. keepalived
    /// follows the file by inotify, so the node gives up its VIPs at once, not after the track script's next runs.
    /// </summary>
    public const string FaultFile = "vrrp-fault";

    /// <summary>
    /// In the runtime directory: the agent writes 1 while the snapshot has the node stand aside (maintenance, a manual
    /// failover to another node), 0 otherwise. Apart from <see cref="FaultFile"/>, which the supervisor writes.
    /// </summary>
    public const string StandbyFile = "vrrp-standby";

    private const string TrackScript = "fulcrum_haproxy";

    private const string TrackFile = "fulcrum_agent";

    private const string StandbyTrackFile = "fulcrum_standby";

    /// <param name="directory">The generation directory; this configuration has no side files to refer to.</param>
    public static IReadOnlyList<RenderedFile> Render(ClusterSnapshot snapshot, NodeFacts facts, string directory)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(facts);

        var clusterId = SafeValues.Id(snapshot.ClusterId, "clusterId");
        var nodeId = SafeValues.Id(facts.NodeId, "facts.nodeId");
        var runtime = SafeValues.Path(facts.Runtime, "facts.runtime");
        var notify = Notify(facts.NotifyCommand);
        SnapshotAddresses.Check(snapshot);

        var nodes = snapshot.Nodes ?? throw SafeValues.Refuse("nodes", "is required.");
        var self = nodes.Select((node, i) => (Node: node, Index: i)).FirstOrDefault(n => n.Node?.Id == nodeId);
        if (self.Node is null)
        {
            throw new RenderRefusedException($"Node {nodeId} is not a node of cluster {clusterId}: it has no VRRP settings to render.");
        }

        var selfField = $"nodes[{self.Index}]";
        var address = SafeValues.Address(self.Node.Address, $"{selfField}.address");
        var iface = SafeValues.Interface(self.Node.Interface, $"{selfField}.interface");
        var priority = SafeValues.Range(self.Node.Priority, 1, 254, $"{selfField}.priority");
        var peers = nodes
            .Select((node, i) => (Node: node, Index: i))
            .Where(n => n.Index != self.Index)
            .Select(n => SafeValues.Address(n.Node?.Address, $"nodes[{n.Index}].address"))
            .ToList();

        var vrrp = snapshot.Vrrp ?? throw SafeValues.Refuse("vrrp", "is required.");
        var routerId = SafeValues.Range(vrrp.VirtualRouterId, 1, 255, "vrrp.virtualRouterId");
        var advertMs = SafeValues.Range(vrrp.AdvertIntervalMs ?? VrrpSpec.DefaultAdvertIntervalMs, 10, 40_950, "vrrp.advertIntervalMs");
        if (advertMs % 10 != 0)
        {
            throw SafeValues.Refuse("vrrp.advertIntervalMs", "must be a multiple of 10 ms (VRRPv3 counts in centiseconds).");
        }

        var unicast = vrrp.Unicast ?? true;
        if (unicast && peers.Any(p => p.AddressFamily != address.AddressFamily))
        {
            throw new RenderRefusedException(
                $"Cluster {clusterId} uses unicast VRRP, and keepalived needs every node's address in one family: its nodes mix IPv4 and IPv6.");
        }

        var vips = Vips(snapshot);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            # VRRP for node {{nodeId}} of cluster {{clusterId}}, rendered by Fulcrum; the agent rewrites this file.
            global_defs {
                router_id {{nodeId}}
                vrrp_version 3
                # Scripts run as root, and keepalived refuses any that a non-root user could replace.
                script_user root
                enable_script_security
            }

            """);

        if (vips.Count == 0)
        {
            // keepalived refuses an instance without a VIP; with none to hold, this node just stays out of VRRP.
            text.Append("\n# No enabled load balancer: no VRRP instance, this node holds no address.\n");
            return [new RenderedFile(RenderedConfig.KeepalivedConfig, text.ToString())];
        }

        text.Append(CultureInfo.InvariantCulture, $$"""

            # haproxy serves every TCP and HTTP listener: a node whose haproxy is gone goes to FAULT and gives up the
            # VIPs. A FAULT rather than a lower priority, because with nopreempt a backup never takes over from a
            # master that merely lost priority. Until haproxy has passed its first checks the node holds nothing.
            vrrp_script {{TrackScript}} {
                script "{{Pgrep}} -x -F {{runtime}}/haproxy.pid haproxy"
                interval 1
                timeout 1
                fall 2
                rise 2
                init_fail
            }

            # The agent's own verdict on haproxy, which it learns the moment haproxy exits (the script above stays
            # for an agent that is itself down). keepalived creates the file with 0, healthy, when there is none.
            track_file {{TrackFile}} {
                file "{{runtime}}/{{FaultFile}}"
                weight 0
                init_file 0
            }

            # The operator's word: a node in maintenance, or standing aside for a manual failover, goes to FAULT, and a
            # MASTER going there hands over at once (its priority 0 advert). A FAULT for the same reason as above; the
            # agent writes the file, so the VIPs move without a reload.
            track_file {{StandbyTrackFile}} {
                file "{{runtime}}/{{StandbyFile}}"
                weight 0
                init_file 0
            }

            vrrp_instance {{clusterId}} {
                # Every node starts as BACKUP and the election goes by priority.
                state BACKUP
                interface {{iface}}
                virtual_router_id {{routerId}}
                priority {{priority}}
                advert_int {{(advertMs / 1000m).ToString("0.##", CultureInfo.InvariantCulture)}}

            """);

        if (!(vrrp.Preempt ?? false))
        {
            text.Append("    nopreempt\n");
        }

        if (unicast)
        {
            text.Append(CultureInfo.InvariantCulture, $"    unicast_src_ip {address}\n");
            text.Append("    unicast_peer {\n");
            if (peers.Count == 0)
            {
                // keepalived would fall back to multicast without a peer, and a second node joining would switch the
                // instance over to unicast, dropping it to BACKUP. Alone, the node sends its adverts to the address
                // they carry, which only a master holds: they reach it and are dropped as not from a peer.
                text.Append(CultureInfo.InvariantCulture, $"        {Anchor(address.AddressFamily, routerId).Split('/')[0]} # no other node yet\n");
            }

            foreach (var peer in peers)
            {
                text.Append(CultureInfo.InvariantCulture, $"        {peer}\n");
            }

            text.Append("    }\n");

            // Anyone on the segment can send a VRRP advert with a higher priority and take the VIPs: only peers count.
            text.Append("    check_unicast_src\n");
        }

        // Two masters at once (a cut-off master coming back) leave clients' ARP caches pointing at either one: the
        // master that stays announces every VIP again as soon as it sees the other's lower priority, the one that
        // yields says so first, and a master refreshes its announcements every 10 s whatever happened.
        text.Append("    garp_lower_prio_repeat 1\n    higher_prio_send_advert\n    garp_master_refresh 10\n");

        // keepalived drops an advert whose address list differs from its own (even with vrrp_skip_check_adv_addr,
        // right after a reload), and the nodes apply a new revision a moment apart: were the VIPs advertised, adding
        // or removing one would make a backup drop the master's adverts and take every VIP too, resetting and stalling
        // the clients of every load balancer. Adverts carry one fixed address of the nodes' family instead (VRRPv3
        // requires one), and the VIPs ride along unadvertised: same instance, same holder, same moves.
        text.Append(CultureInfo.InvariantCulture, $"    virtual_ipaddress {{\n        {Anchor(address.AddressFamily, routerId)} dev {iface} # advertised; never a load balancer's\n    }}\n");
        WriteVips(text, "virtual_ipaddress_excluded", vips, iface);
        text.Append(CultureInfo.InvariantCulture, $$"""
                track_script {
                    {{TrackScript}}
                }
                track_file {
                    {{TrackFile}}
                    {{StandbyTrackFile}}
                }
                # Called with INSTANCE, the instance name, the new state and the priority appended.
                notify "{{notify}}"
            }

            """);
        return [new RenderedFile(RenderedConfig.KeepalivedConfig, text.ToString())];
    }

    /// <summary>The VIPs of the enabled load balancers, in snapshot order.</summary>
    private static List<Vip> Vips(ClusterSnapshot snapshot)
    {
        var loadBalancers = snapshot.LoadBalancers ?? throw SafeValues.Refuse("loadBalancers", "is required.");
        var vips = new List<Vip>();
        for (var i = 0; i < loadBalancers.Count; i++)
        {
            if (loadBalancers[i] is not { Enabled: true } lb)
            {
                continue;
            }

            var address = SafeValues.Address(lb.Vip, $"loadBalancers[{i}].vip");
            var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            vips.Add(new Vip(
                SafeValues.Id(lb.Id, $"loadBalancers[{i}].id"),
                address,
                SafeValues.Range(lb.VipPrefixLength, 1, maxPrefix, $"loadBalancers[{i}].vipPrefixLength")));
        }

        return vips;
    }

    private static void WriteVips(StringBuilder text, string block, IEnumerable<Vip> vips, string iface)
    {
        var list = vips.ToList();
        if (list.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"    {block} {{\n");
        foreach (var vip in list)
        {
            text.Append(CultureInfo.InvariantCulture, $"        {vip.Address}/{vip.PrefixLength} dev {iface} # {vip.LoadBalancerId}\n");
        }

        text.Append("    }\n");
    }

    /// <summary>
    /// keepalived splits a notify command at spaces and honours quotes and escapes of its own, so only words that
    /// need none of them are accepted, and the program must be an absolute path.
    /// </summary>
    private static string Notify(IReadOnlyList<string>? command)
    {
        if (command is not { Count: > 0 })
        {
            throw SafeValues.Refuse("facts.notifyCommand", "must name the program keepalived runs on a state change.");
        }

        return string.Join(' ', command.Select((word, i) => i == 0
            ? SafeValues.Path(word, "facts.notifyCommand[0]")
            : SafeValues.Argument(word, $"facts.notifyCommand[{i}]")));
    }

    /// <summary>
    /// The address the adverts carry: link-local, derived from the virtual router id (two clusters on one segment
    /// need distinct ids anyway), never one a client uses. IPv6 adverts carry a link-local address by RFC 5798.
    /// </summary>
    private static string Anchor(AddressFamily family, int routerId) =>
        family == AddressFamily.InterNetwork
            ? $"169.254.1.{routerId.ToString(CultureInfo.InvariantCulture)}/32"
            : $"fe80::1:{routerId.ToString("x", CultureInfo.InvariantCulture)}/128";

    private sealed record Vip(string LoadBalancerId, IPAddress Address, int PrefixLength);
}
