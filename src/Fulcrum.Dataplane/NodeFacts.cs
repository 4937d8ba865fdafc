namespace Fulcrum.Dataplane;

/// <summary>
/// What a renderer needs to know about the node it renders for, besides the cluster snapshot. Every path is absolute
/// and configurable, so that several nodes can run on one host (the lab) without sharing a file.
/// </summary>
/// <param name="NodeId">The node's id in the snapshot; its peers are the snapshot's other nodes.</param>
/// <param name="Runtime">Sockets and pid files of this node's data-plane processes.</param>
/// <param name="NotifyCommand">The command keepalived runs on a VRRP state change (the agent's notify hook), as argv.</param>
/// <param name="NginxModulesDirectory">Where nginx's dynamic modules live (the stream module is loaded from there).</param>
public sealed record NodeFacts(string NodeId, string Runtime, IReadOnlyList<string> NotifyCommand, string NginxModulesDirectory);

/// <summary>One file of a rendered configuration, relative to its generation directory.</summary>
/// <param name="Secret">Holds a private key: written with mode 0600.</param>
public sealed record RenderedFile(string Path, string Content, bool Secret = false);

/// <summary>
/// The files of each tool, rendered into one generation directory: references between files (certificates, ACL
/// lists) use that directory's absolute path, so a generation validates as it will run.
/// </summary>
public sealed record RenderedConfig(
    IReadOnlyList<RenderedFile> Haproxy,
    IReadOnlyList<RenderedFile> Nginx,
    IReadOnlyList<RenderedFile> Keepalived)
{
    public const string HaproxyConfig = "haproxy/haproxy.cfg";
    public const string NginxConfig = "nginx/nginx.conf";
    public const string KeepalivedConfig = "keepalived/keepalived.conf";
}
