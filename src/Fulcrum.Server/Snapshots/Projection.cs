using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Acls;
using Fulcrum.Server.Backends;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Rules;

namespace Fulcrum.Server.Snapshots;

/// <summary>
/// What a node sees of each resource: the snapshot is built from these, and a change affects the nodes exactly when
/// the projection of what it touches differs before and after. A resource's children are left out (an update of a
/// listener does not change its rules); display text never appears.
/// </summary>
public static class Projection
{
    /// <summary>The cluster's own part of its snapshot, without its nodes and load balancers.</summary>
    public static object Of(Cluster cluster) => new { cluster.Vrrp, cluster.BackendAllowedRanges };

    public static SnapshotNode Of(Node node) => new(node.Id, node.Address, node.Interface, node.Priority);

    public static SnapshotLoadBalancer Of(LoadBalancer lb, IReadOnlyList<SnapshotListener> listeners, IReadOnlyList<SnapshotBackendGroup> groups) =>
        new(lb.Id, lb.Vip, lb.VipPrefixLength, lb.Enabled, listeners, groups);

    public static SnapshotLoadBalancer Of(LoadBalancer lb) => Of(lb, [], []);

    public static SnapshotListener Of(Listener l, IReadOnlyList<SnapshotRule> rules) =>
        new(l.Id, l.Protocol, l.Port, l.DefaultBackendGroupId, l.Scheduler, l.ConnectionLimit, l.Timeouts, l.HealthCheck,
            l.StickySession, l.ForwardedHeaders, l.Gzip, l.Http2, l.RedirectToHttps, l.Tls, l.Acl, l.ProxyProtocol, l.Enabled, rules);

    public static SnapshotListener Of(Listener listener) => Of(listener, []);

    public static SnapshotRule Of(Rule rule) => new(rule.Id, rule.Match, rule.Action, rule.Enabled);

    /// <summary>A rule with its place: rules are matched in position order, so a move changes what the nodes do.</summary>
    public static object Placed(Rule rule) => new { rule.Position, Rule = Of(rule) };

    public static SnapshotBackend Of(Backend b) => new(b.Id, b.Address, b.Port, b.Weight, b.Backup, b.AdminState);

    public static SnapshotAcl Of(Acl acl) => new(acl.Id, acl.Entries.Select(e => e.Cidr!).ToList());

    public static SnapshotCertificate Of(Certificates.Certificate certificate, string? privateKeyPem) =>
        new(certificate.Id, certificate.ChainPem, privateKeyPem);
}
