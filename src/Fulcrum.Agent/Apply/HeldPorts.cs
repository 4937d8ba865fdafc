using System.Net;
using System.Net.Sockets;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Agent.Apply;

/// <summary>
/// Names the listeners whose port something else on the node holds. haproxy 2.6 says nothing of why a reload
/// failed (its master's output is gone once it daemonised), and <c>haproxy -c</c> does not bind: so the agent tries
/// the bind itself, for the listeners the node does not serve yet (those it serves are held by haproxy, rightly).
/// </summary>
public static class HeldPorts
{
    /// <summary>How a listener whose port another process holds is described: that one is tried again by itself.</summary>
    public const string InUse = "the port is already in use on the node, by another process";

    public static string Describe(SnapshotLoadBalancer desired, ClusterSnapshot? served)
    {
        var serving = (served?.LoadBalancers ?? []).SelectMany(lb => lb.Listeners.Select(l => (lb.Vip, l.Port, l.Protocol == ListenerProtocol.Udp))).ToHashSet();
        var held = desired.Listeners
            .Where(l => l.Enabled && !serving.Contains((desired.Vip, l.Port, l.Protocol == ListenerProtocol.Udp)) && IsHeld(desired.Vip, l.Port, l.Protocol == ListenerProtocol.Udp))
            .Select(l => $"listener {l.Id} ({desired.Vip}:{l.Port}): {InUse}");
        return string.Join("\n", held);
    }

    private static bool IsHeld(string vip, int port, bool udp)
    {
        var address = IPAddress.Parse(vip);
        using var socket = new Socket(address.AddressFamily, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
