using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Core.Validation;

namespace Fulcrum.Dataplane.Haproxy;

/// <summary>
/// Renders a cluster snapshot into haproxy 2.6's configuration for one node: <c>haproxy/haproxy.cfg</c> plus the
/// certificate bundles and ACL lists it names by absolute path inside the generation directory. Pure: no I/O.
/// </summary>
/// <remarks>
/// Every value from the snapshot is re-validated with the Core grammars (the snapshot may not come from the API);
/// ids and addresses are written only after their grammar passed, and text a user typed (host names, paths, cookie
/// names) is also quoted. A snapshot with any invalid value is refused as a whole with every error listed.
/// </remarks>
public sealed partial class HaproxyRenderer
{
    /// <summary>Where the nodes of a cluster exchange stick tables, on each node's own address.</summary>
    public const int PeersPort = 10000;

    /// <summary>
    /// The servers' state (health above all), beside haproxy.cfg: rendered empty, and replaced by the agent with the
    /// running workers' state just before a reload, so that the new workers do not take every server for UP until
    /// its first check.
    /// </summary>
    public const string ServerStateFile = "haproxy/" + ServerStateFileName;

    /// <summary>A state file without servers, in the format of <c>show servers state</c> (a missing file makes haproxy warn).</summary>
    public const string EmptyServerState = "1\n";

    private const string ServerStateFileName = "servers.state";

    /// <summary>The connection limit of a listener without one; the global limit is the sum over listeners.</summary>
    public const int DefaultListenerConnections = 10_000;

    /// <summary>
    /// haproxy needs about two file descriptors per connection: this keeps it well under Linux's default
    /// <c>fs.nr_open</c> (1,048,576), however many listeners a cluster has.
    /// </summary>
    public const int MaxGlobalConnections = 250_000;

    private const string PeersSection = "fulcrum";

    /// <summary>Connections of the stats socket and the peers, on top of the listeners'.</summary>
    private const int ReservedConnections = 100;

    /// <summary>Holds the id of the rule that claimed a request; see <see cref="RuleActions"/>.</summary>
    private const string RuleVariable = "txn.fulcrum_rule";

    private const string StickTableSize = "100k";

    /// <summary>The request's host name, without a port.</summary>
    private const string HostFetch = "req.hdr(host),field(1,:)";

    private const int MaxIdLength = 64;

    private static readonly string[] CompressedTypes =
        ["text/html", "text/plain", "text/css", "text/javascript", "application/javascript", "application/json", "application/xml", "image/svg+xml"];

    private readonly ClusterSnapshot _snapshot;
    private readonly NodeFacts _facts;
    private readonly string _directory;
    private readonly ValidationErrors _errors = new();
    private readonly ConfigWriter _config = new();
    private readonly SortedDictionary<string, RenderedFile> _sideFiles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _binds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _frontendConnections = new(StringComparer.Ordinal);

    private HaproxyRenderer(ClusterSnapshot snapshot, NodeFacts facts, string directory)
    {
        _snapshot = snapshot;
        _facts = facts;
        _directory = directory;
    }

    /// <summary>The files of haproxy's configuration, the main file first.</summary>
    /// <param name="directory">The generation directory the files will be written to, as an absolute path.</param>
    /// <exception cref="RenderRefusedException">The snapshot holds a value that fails its grammar or a dangling reference.</exception>
    public static IReadOnlyList<RenderedFile> Render(ClusterSnapshot snapshot, NodeFacts facts, string directory)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(facts);
        RequireSafePath(directory, nameof(directory));
        RequireSafePath(facts.Runtime, nameof(facts));
        SnapshotAddresses.Check(snapshot);
        return new HaproxyRenderer(snapshot, facts, directory).Render();
    }

    private IReadOnlyList<RenderedFile> Render()
    {
        var served = Served().ToList();
        Global(served);
        Peers();
        Defaults();
        foreach (var scope in served)
        {
            Listener(scope);
        }

        if (!_errors.IsEmpty)
        {
            throw new RenderRefusedException(_errors);
        }

        return [new RenderedFile(RenderedConfig.HaproxyConfig, _config.ToString()), .. _sideFiles.Values];
    }

    /// <summary>The listeners haproxy serves: enabled tcp, http and https listeners of enabled load balancers (nginx serves udp).</summary>
    private IEnumerable<Scope> Served()
    {
        for (var i = 0; i < _snapshot.LoadBalancers.Count; i++)
        {
            var loadBalancer = _snapshot.LoadBalancers[i];
            if (!loadBalancer.Enabled)
            {
                continue;
            }

            var vip = Address($"loadBalancers[{i}].vip", loadBalancer.Vip);
            for (var j = 0; j < loadBalancer.Listeners.Count; j++)
            {
                var listener = loadBalancer.Listeners[j];
                if (listener.Enabled && listener.Protocol is not ListenerProtocol.Udp)
                {
                    yield return new Scope($"loadBalancers[{i}]", $"loadBalancers[{i}].listeners[{j}]", loadBalancer, listener, vip);
                }
            }
        }
    }

    private void Global(IReadOnlyList<Scope> served)
    {
        _config.Section("global");
        // The agent starts haproxy with -W -S <master socket>; new workers take the listening sockets over from
        // this socket on a reload, so no connection is refused meanwhile.
        _config.Line("master-worker");
        _config.Line("pidfile", HaproxyText.Quote(Path.Combine(_facts.Runtime, "haproxy.pid")));
        _config.Line("stats", "socket", HaproxyText.Quote(Path.Combine(_facts.Runtime, "haproxy.sock")), "mode", "600", "level", "admin", "expose-fd", "listeners");
        _config.Line("server-state-file", HaproxyText.Quote(SideFile(ServerStateFileName, EmptyServerState, secret: false)));
        // Old workers finish in-flight requests and long TCP sessions after a reload, but frequent changes must
        // not pile up generations of workers and their memory.
        _config.Line("hard-stop-after", "2m");
        _config.Line("maxconn", Number(GlobalConnections(served)));
        // haproxy raises its open-file limit to fit maxconn and by default refuses to start when it cannot, which
        // haproxy -c does not foresee: a node whose limit is low keeps serving, with a warning, instead.
        _config.Line("no", "strict-limits");
        if (Id("nodeId", _facts.NodeId) is { } nodeId)
        {
            _config.Line("localpeer", nodeId);
        }
    }

    /// <summary>
    /// The global limit, and each frontend's share of it. When the listeners' limits add up to more than haproxy may
    /// hold, they are cut max-min fairly: a listener asking for less than an equal share keeps its limit, the larger
    /// ones split the rest equally. So no listener's own limit can take the connections every other listener needs
    /// (haproxy stops accepting on every frontend once the global limit is reached).
    /// </summary>
    private long GlobalConnections(IReadOnlyList<Scope> served)
    {
        var asked = served.Select(scope => (scope.Path, Limit: (long)ListenerConnections(scope))).OrderBy(a => a.Limit).ToList();
        long remaining = MaxGlobalConnections - ReservedConnections;
        long sum = ReservedConnections;
        for (var i = 0; i < asked.Count; i++)
        {
            var share = Math.Min(asked[i].Limit, Math.Max(1, remaining / (asked.Count - i)));
            _frontendConnections[asked[i].Path] = share;
            remaining -= share;
            sum += share;
        }

        return Math.Min(sum, MaxGlobalConnections);
    }

    /// <summary>A frontend's limit: its listener's own, unless the global limit had to be shared out (<see cref="GlobalConnections"/>).</summary>
    private long FrontendConnections(Scope scope) =>
        _frontendConnections.TryGetValue(scope.Path, out var share) ? share : ListenerConnections(scope);

    private int ListenerConnections(Scope scope) =>
        Grammar.Range(_errors, $"{scope.Path}.connectionLimit", scope.Listener.ConnectionLimit, 1, ListenerRequest.MaxConnectionLimit)
            ?? DefaultListenerConnections;

    /// <summary>Every node of the cluster, so that stick tables (and so sticky clients) survive a failover.</summary>
    private void Peers()
    {
        _config.Section("peers", PeersSection);
        var local = false;
        for (var i = 0; i < _snapshot.Nodes.Count; i++)
        {
            var node = _snapshot.Nodes[i];
            local |= node.Id == _facts.NodeId;
            if (Id($"nodes[{i}].id", node.Id) is { } id && Address($"nodes[{i}].address", node.Address) is { } address)
            {
                _config.Line("peer", id, Endpoint(address, PeersPort));
            }
        }

        if (!local)
        {
            _errors.Add("nodes", "does not list the node the configuration is rendered for.");
        }
    }

    /// <summary>
    /// One defaults section per mode: <c>option idle-close-on-response</c> exists only in http mode, and it is what
    /// keeps a reload from failing requests that race with the old worker closing idle keep-alive connections.
    /// </summary>
    private void Defaults()
    {
        _config.Section("defaults", "http");
        _config.Line("mode", "http");
        _config.Line("option", "idle-close-on-response");
        CommonDefaults();
        _config.Line("timeout", "http-request", "10s");

        _config.Section("defaults", "tcp");
        _config.Line("mode", "tcp");
        CommonDefaults();
    }

    private void CommonDefaults()
    {
        _config.Line("load-server-state-from-file", "global");
        _config.Line("option", "redispatch");
        _config.Line("retries", "3");
        // The API's own defaults, for listeners whose snapshot leaves a timeout out.
        var timeouts = new TimeoutSpec(null, null, null).Normalize(new ValidationErrors(), "timeouts");
        _config.Line("timeout", "connect", HaproxyText.Duration(timeouts.ConnectMs!.Value));
        _config.Line("timeout", "client", HaproxyText.Duration(timeouts.ClientMs!.Value));
        _config.Line("timeout", "server", HaproxyText.Duration(timeouts.ServerMs!.Value));
    }

    private void Listener(Scope scope)
    {
        var listener = scope.Listener;
        var id = Id($"{scope.Path}.id", listener.Id);
        var timeouts = (listener.Timeouts ?? new TimeoutSpec(null, null, null)).Normalize(_errors, $"{scope.Path}.timeouts");
        var rules = CheckRules(scope);
        var groups = BackendGroups(scope, rules);
        if (id is null)
        {
            return;
        }

        Frontend(scope, id, timeouts, rules, groups);
        foreach (var group in groups)
        {
            Backend(scope, id, group, timeouts);
        }
    }

    /// <summary>A file beside haproxy.cfg, written once however many listeners use it; returns its absolute path.</summary>
    private string SideFile(string relativePath, string content, bool secret)
    {
        var path = "haproxy/" + relativePath;
        _sideFiles.TryAdd(path, new RenderedFile(path, content, secret));
        return Path.Combine(_directory, path);
    }

    /// <summary>Ids are written raw into names and file names, so they are held to a grammar without any special character.</summary>
    private string? Id(string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            _errors.Add(path, "is required.");
            return null;
        }

        var valid = value.Length <= MaxIdLength && char.IsAsciiLetterLower(value[0]) && value[^1] != '-'
            && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
        if (!valid)
        {
            _errors.Add(path, $"must be an id: 1-{MaxIdLength} lower-case letters, digits and '-', starting with a letter.");
            return null;
        }

        return value;
    }

    /// <summary>
    /// The Core grammars take an empty string for a missing value; where the API would have put a default in its
    /// place, an empty string in a snapshot is an error rather than a silently dropped health check or cookie.
    /// </summary>
    private string? Present(string path, string? normalized)
    {
        if (normalized is null && !_errors.Has(path))
        {
            _errors.Add(path, "is required.");
        }

        return normalized;
    }

    private IPAddress? Address(string path, string? value) => Grammar.IpAddress(_errors, path, value);

    private static string Endpoint(IPAddress address, int port) =>
        address.AddressFamily is AddressFamily.InterNetworkV6 ? $"[{address}]:{Number(port)}" : $"{address}:{Number(port)}";

    private static string BackendName(string listenerId, string groupId) => $"{listenerId}_{groupId}";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FindIndex<T>(IReadOnlyList<T> items, Func<T, bool> predicate)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (predicate(items[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOf<T>(IReadOnlyList<T> items, T item)
        where T : class => FindIndex(items, candidate => ReferenceEquals(candidate, item));

    /// <summary>Paths from the agent go into the file raw (in crt-lists) and quoted: only plain absolute paths qualify.</summary>
    private static void RequireSafePath(string path, string parameter)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Split('/').Any(segment => segment is "." or "..")
            || !path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-'))
        {
            throw new ArgumentException("Must be an absolute path of letters, digits, '/', '.', '_' and '-'.", parameter);
        }
    }

    private sealed record Scope(string LoadBalancerPath, string Path, SnapshotLoadBalancer LoadBalancer, SnapshotListener Listener, IPAddress? Vip);

    private sealed record CheckedRule(string Path, string Id, RuleMatch Match, RuleAction Action);

    private sealed record CheckedTls(string CertificateList, string MinVersion);
}
