using Fulcrum.Core.Api;

namespace Fulcrum.Agent.Reporting;

/// <summary>
/// The VRRP state keepalived last announced through <c>fulcrum-agent notify</c> (its arguments: INSTANCE|GROUP, name,
/// state, priority), kept in the node's runtime directory for the heartbeat.
/// </summary>
public static class VrrpStateFile
{
    public static void Write(StateDirectory state, string announced)
    {
        var vrrp = announced.ToUpperInvariant() switch
        {
            "MASTER" => VrrpState.Master,
            "BACKUP" => VrrpState.Backup,
            "FAULT" or "STOP" => VrrpState.Fault,
            _ => VrrpState.Unknown,
        };
        Directory.CreateDirectory(state.Runtime);
        StateDirectory.WriteAtomically(state.VrrpStateFile, vrrp.ToString(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static VrrpState Read(StateDirectory state) =>
        File.Exists(state.VrrpStateFile) && Enum.TryParse<VrrpState>(File.ReadAllText(state.VrrpStateFile).Trim(), out var vrrp) ? vrrp : VrrpState.Unknown;
}
