using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane.Haproxy;
using Fulcrum.Dataplane.Keepalived;
using Fulcrum.Dataplane.Nginx;

namespace Fulcrum.Dataplane;

/// <summary>Every file of a node's data plane for one snapshot, rendered into one generation directory.</summary>
public static class DataplaneRenderer
{
    /// <param name="downBackendIds">UDP backends the agent's own health checks found down (nginx has no active checks).</param>
    public static RenderedConfig Render(ClusterSnapshot snapshot, NodeFacts facts, string directory, IReadOnlySet<string>? downBackendIds = null) => new(
        HaproxyRenderer.Render(snapshot, facts, directory),
        NginxRenderer.Render(snapshot, facts, directory, downBackendIds ?? new HashSet<string>()),
        KeepalivedRenderer.Render(snapshot, facts, directory));
}
