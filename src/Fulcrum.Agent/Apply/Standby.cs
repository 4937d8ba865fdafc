using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane.Keepalived;

namespace Fulcrum.Agent.Apply;

/// <summary>
/// Whether the snapshot has this node stand aside — in maintenance, or while a manual failover moves the VIPs to
/// another node — told to keepalived through the file its <c>track_file</c> follows by inotify: a 1 puts the node's
/// VRRP instance in FAULT at once (a MASTER hands over with a priority 0 advert, once <see cref="VipDrain"/> has let
/// its connections finish), a 0 lets it take part again, and neither reloads anything. Written before the snapshot is
/// applied, and whatever the apply's outcome: it is the operator's word about the node, not part of its configuration.
/// </summary>
public static class Standby
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static string File(StateDirectory state) => Path.Combine(state.Runtime, KeepalivedRenderer.StandbyFile);

    public static bool Of(ClusterSnapshot snapshot, string nodeId) => snapshot.Nodes.Any(n => n.Id == nodeId && n.Standby == true);

    /// <summary>Whether the file has the node stand aside now.</summary>
    public static bool Read(StateDirectory state) => System.IO.File.Exists(File(state)) && System.IO.File.ReadAllText(File(state)) == "1\n";

    /// <summary>Writes the file when it says otherwise (or is missing); true when it changed.</summary>
    public static bool Write(StateDirectory state, bool standby)
    {
        var content = standby ? "1\n" : "0\n";
        var file = File(state);
        if (System.IO.File.Exists(file) && System.IO.File.ReadAllText(file) == content)
        {
            return false;
        }

        StateDirectory.WriteAtomically(file, content, FileMode);
        return true;
    }
}
