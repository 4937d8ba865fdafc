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
public sealed class HaproxyRenderer
{
    /// <summary>Where the nodes of a cluster exchange stick tables, on each node's own address.</summary>
    public const int PeersPort = 10000;

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

    /// <summary>Holds the id of the forward rule that claimed a request; see <see cref="Rules"/>.</summary>
    private const string RuleVariable = "txn.fulcrum_rule";

    private const string StickTableSize = "100k";

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

    private HaproxyRenderer(ClusterSnapshot snapshot, NodeFacts facts, string directory)
    {
        _snapshot = snapshot;
        _facts = facts;
        _directory = directory;
    }

    /// <summary>The files of haproxy's configuration, the main file first.</summary>
    /// <param name="directory">The generation directory the files will be written to, as an absolute path.</param>
    /// <exception cref="InvalidSnapshotException">The snapshot holds a value that fails its grammar or a dangling reference.</exception>
    public static IReadOnlyList<RenderedFile> Render(ClusterSnapshot snapshot, NodeFacts facts, string directory)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(facts);
        RequireSafePath(directory, nameof(directory));
        RequireSafePath(facts.Runtime, nameof(facts));
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
            throw new InvalidSnapshotException(_errors);
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
        // Old workers finish in-flight requests and long TCP sessions after a reload, but frequent changes must
        // not pile up generations of workers and their memory.
        _config.Line("hard-stop-after", "2m");
        _config.Line("maxconn", Number(GlobalConnections(served)));
        if (Id("nodeId", _facts.NodeId) is { } nodeId)
        {
            _config.Line("localpeer", nodeId);
        }
    }

    private long GlobalConnections(IReadOnlyList<Scope> served)
    {
        long sum = ReservedConnections;
        foreach (var scope in served)
        {
            sum += ListenerConnections(scope);
        }

        return Math.Min(sum, MaxGlobalConnections);
    }

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
        foreach (var group in groups.Values.Distinct())
        {
            Backend(scope, id, group, timeouts);
        }
    }

    private void Frontend(Scope scope, string id, TimeoutSpec timeouts, IReadOnlyList<CheckedRule> rules, IReadOnlyDictionary<string, SnapshotBackendGroup> groups)
    {
        var listener = scope.Listener;
        var http = listener.Protocol is not ListenerProtocol.Tcp;
        _config.Section("frontend", id, "from", http ? "http" : "tcp");
        Bind(scope, id);
        _config.Line("maxconn", Number(ListenerConnections(scope)));
        if (timeouts.ClientMs is { } client)
        {
            _config.Line("timeout", "client", HaproxyText.Duration(client));
        }

        AclFilter(scope);
        if (http)
        {
            ForwardedHeaders(scope);
            Compression(scope);
            RedirectToHttps(scope);
            Rules(scope, id, rules);
        }

        DefaultBackend(scope, id, http, rules, groups);
    }

    private void Bind(Scope scope, string id)
    {
        var listener = scope.Listener;
        var port = Grammar.Port(_errors, $"{scope.Path}.port", listener.Port);
        if (scope.Vip is null || port is null)
        {
            return;
        }

        var endpoint = Endpoint(scope.Vip, port.Value);
        if (!_binds.Add(endpoint))
        {
            _errors.Add($"{scope.Path}.port", "is already used by another listener on the same VIP.");
        }

        if (listener.Protocol is not ListenerProtocol.Https)
        {
            _config.Line("bind", endpoint);
            return;
        }

        var tls = Tls(scope, id);
        if (tls is null)
        {
            return;
        }

        List<string> bind = ["bind", endpoint, "ssl", "crt-list", HaproxyText.Quote(tls.CertificateList)];
        if (listener.Http2)
        {
            bind.AddRange(["alpn", "h2,http/1.1"]);
        }

        bind.AddRange(["ssl-min-ver", tls.MinVersion]);
        _config.Line([.. bind]);
    }

    /// <summary>
    /// The listener's certificates as a crt-list, default certificate first: haproxy answers with the first one
    /// when no certificate's names match the client's SNI, and picks the others by their own names.
    /// </summary>
    private CheckedTls? Tls(Scope scope, string listenerId)
    {
        if (scope.Listener.Tls is null)
        {
            _errors.Add($"{scope.Path}.tls", "is required: an https listener needs a certificate.");
            return null;
        }

        var tls = scope.Listener.Tls.Normalize(_errors, $"{scope.Path}.tls");
        if (tls.CertificateId is null)
        {
            return null;
        }

        var bundles = new List<string>();
        var ids = new[] { tls.CertificateId }.Concat(tls.SniCertificateIds ?? []).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            var path = i == 0 ? $"{scope.Path}.tls.certificateId" : $"{scope.Path}.tls.sniCertificateIds[{i - 1}]";
            if (CertificateBundle(path, ids[i]) is { } bundle)
            {
                bundles.Add(bundle + "\n");
            }
        }

        var list = SideFile($"certs/{listenerId}.crtlist", string.Concat(bundles), secret: false);
        return new CheckedTls(list, MinVersion(tls.MinVersion));
    }

    private static string MinVersion(TlsVersion? version) => version switch
    {
        TlsVersion.Tls10 => "TLSv1.0",
        TlsVersion.Tls11 => "TLSv1.1",
        TlsVersion.Tls13 => "TLSv1.3",
        _ => "TLSv1.2",
    };

    /// <summary>Writes the certificate's bundle (chain, then key) once and returns its absolute path.</summary>
    private string? CertificateBundle(string path, string certificateId)
    {
        var index = FindIndex(_snapshot.Certificates, c => c.Id == certificateId);
        if (index < 0)
        {
            _errors.Add(path, "refers to a certificate that is not in the snapshot.");
            return null;
        }

        var certificate = _snapshot.Certificates[index];
        var certificatePath = $"certificates[{index}]";
        if (Id($"{certificatePath}.id", certificate.Id) is null)
        {
            return null;
        }

        var chain = Pem.Certificates(_errors, $"{certificatePath}.chainPem", certificate.ChainPem);
        var key = Pem.PrivateKey(_errors, $"{certificatePath}.privateKeyPem", certificate.PrivateKeyPem);
        return chain is null || key is null ? null : SideFile($"certs/{certificate.Id}.pem", chain + key, secret: true);
    }

    /// <summary>Allow or deny whole connections by source address, before haproxy reads a byte of them.</summary>
    private void AclFilter(Scope scope)
    {
        if (scope.Listener.Acl is null)
        {
            return;
        }

        var binding = scope.Listener.Acl.Normalize(_errors, $"{scope.Path}.acl");
        if (binding.AclId is null || AclList($"{scope.Path}.acl.aclId", binding.AclId) is not { } list)
        {
            return;
        }

        var negation = binding.Mode is AclMode.Allow ? "!" : "";
        _config.Line("tcp-request", "connection", "reject", "if", negation + "{", "src", "-f", HaproxyText.Quote(list), "}");
    }

    private string? AclList(string path, string aclId)
    {
        var index = FindIndex(_snapshot.Acls, a => a.Id == aclId);
        if (index < 0)
        {
            _errors.Add(path, "refers to an ACL that is not in the snapshot.");
            return null;
        }

        var acl = _snapshot.Acls[index];
        if (Id($"acls[{index}].id", acl.Id) is null)
        {
            return null;
        }

        var lines = new List<string>();
        for (var i = 0; i < acl.Cidrs.Count; i++)
        {
            if (Grammar.Cidr(_errors, $"acls[{index}].cidrs[{i}]", acl.Cidrs[i]) is { } network)
            {
                lines.Add(network.ToString() + "\n");
            }
        }

        return SideFile($"acls/{acl.Id}.lst", string.Concat(lines), secret: false);
    }

    /// <summary>
    /// X-Forwarded-For is appended to (the backend trusts its last entry); Proto and Port are set from the listener,
    /// replacing whatever the client sent.
    /// </summary>
    private void ForwardedHeaders(Scope scope)
    {
        if (!scope.Listener.ForwardedHeaders)
        {
            return;
        }

        _config.Line("option", "forwardfor");
        _config.Line("http-request", "set-header", "X-Forwarded-Proto", scope.Listener.Protocol is ListenerProtocol.Https ? "https" : "http");
        if (scope.Listener.Port is >= 1 and <= 65535)
        {
            _config.Line("http-request", "set-header", "X-Forwarded-Port", Number(scope.Listener.Port));
        }
    }

    private void Compression(Scope scope)
    {
        if (scope.Listener.Gzip)
        {
            _config.Line("compression", "algo", "gzip");
            _config.Line(["compression", "type", .. CompressedTypes]);
        }
    }

    private void RedirectToHttps(Scope scope)
    {
        if (scope.Listener.RedirectToHttps)
        {
            _config.Line("http-request", "redirect", "scheme", "https", "code", "301");
        }
    }

    /// <summary>The enabled rules in order, each re-validated; rules exist only on http and https listeners.</summary>
    private List<CheckedRule> CheckRules(Scope scope)
    {
        var rules = new List<CheckedRule>();
        var listener = scope.Listener;
        if (listener.Protocol is ListenerProtocol.Tcp && listener.Rules.Count > 0)
        {
            _errors.Add($"{scope.Path}.rules", "are only available on http and https listeners.");
            return rules;
        }

        for (var k = 0; k < listener.Rules.Count; k++)
        {
            var rule = listener.Rules[k];
            var path = $"{scope.Path}.rules[{k}]";
            if (!rule.Enabled)
            {
                continue;
            }

            var id = Id($"{path}.id", rule.Id);
            var match = rule.Match?.Normalize(_errors, $"{path}.match");
            var action = rule.Action?.Normalize(_errors, $"{path}.action");
            if (match is null)
            {
                _errors.Add($"{path}.match", "is required.");
            }

            if (action is null)
            {
                _errors.Add($"{path}.action", "is required.");
            }

            if (id is not null && match is not null && action is not null)
            {
                rules.Add(new CheckedRule(path, id, match, action));
            }
        }

        return rules;
    }

    /// <summary>The backend groups the listener sends to, by id: its default group, then those of forward rules.</summary>
    private Dictionary<string, SnapshotBackendGroup> BackendGroups(Scope scope, IReadOnlyList<CheckedRule> rules)
    {
        var groups = new Dictionary<string, SnapshotBackendGroup>(StringComparer.Ordinal);
        if (scope.Listener.DefaultBackendGroupId is { } defaultId)
        {
            AddGroup(groups, scope, $"{scope.Path}.defaultBackendGroupId", defaultId);
        }

        foreach (var rule in rules)
        {
            if (rule.Action.BackendGroupId is { } groupId)
            {
                AddGroup(groups, scope, $"{rule.Path}.action.backendGroupId", groupId);
            }
        }

        return groups;
    }

    private void AddGroup(Dictionary<string, SnapshotBackendGroup> groups, Scope scope, string path, string groupId)
    {
        if (groups.ContainsKey(groupId))
        {
            return;
        }

        var group = scope.LoadBalancer.BackendGroups.FirstOrDefault(g => g.Id == groupId);
        if (group is null)
        {
            _errors.Add(path, "refers to a backend group that is not part of the load balancer.");
        }
        else if (Id(path, group.Id) is not null)
        {
            groups.Add(groupId, group);
        }
    }

    /// <summary>
    /// haproxy runs every <c>http-request</c> rule before any <c>use_backend</c>, whatever their order in the file,
    /// so a forward rule cannot simply be a <c>use_backend</c>: a later redirect or reject would win over it. A
    /// forward rule instead claims the request by setting <see cref="RuleVariable"/> to its id, every later rule
    /// acts only on unclaimed requests, and the <c>use_backend</c> lines read the variable.
    /// </summary>
    private void Rules(Scope scope, string listenerId, IReadOnlyList<CheckedRule> rules)
    {
        var claimed = false;
        foreach (var rule in rules)
        {
            List<string> condition = ["if", .. Unclaimed(claimed), .. Condition(rule.Match)];
            switch (rule.Action.Type)
            {
                case RuleActionType.Forward:
                    _config.Line(["http-request", $"set-var({RuleVariable})", $"str({rule.Id})", .. condition]);
                    claimed = true;
                    break;
                case RuleActionType.Redirect when rule.Action.Redirect is { } redirect:
                    _config.Line(["http-request", "redirect", "location", HaproxyText.Quote(Location(redirect, scope.Listener.Protocol)), "code", Number(redirect.Code ?? 302), .. condition]);
                    break;
                case RuleActionType.Reject:
                    _config.Line(["http-request", "deny", "deny_status", Number(rule.Action.StatusCode ?? 403), .. condition]);
                    break;
            }
        }

        if (scope.Listener.DefaultBackendGroupId is null)
        {
            // Without a default group, what no rule claims gets an explicit 503 rather than a closed connection.
            List<string> deny = ["http-request", "deny", "deny_status", "503"];
            if (claimed)
            {
                deny.AddRange(["if", .. Unclaimed(claimed)]);
            }

            _config.Line([.. deny]);
        }

        foreach (var rule in rules.Where(r => r.Action.Type is RuleActionType.Forward && r.Action.BackendGroupId is not null))
        {
            _config.Line("use_backend", BackendName(listenerId, rule.Action.BackendGroupId!), "if", "{", $"var({RuleVariable})", "-m", "str", rule.Id, "}");
        }
    }

    private static string[] Unclaimed(bool claimed) => claimed ? ["!{", $"var({RuleVariable})", "-m", "found", "}"] : [];

    /// <summary>
    /// Host matches ignore a port in the Host header (<c>field(1,:)</c>) and case; <c>*.suffix</c> matches any name
    /// below the suffix but not the suffix itself. Path prefixes are string prefixes, as everywhere else in Fulcrum.
    /// </summary>
    private static IEnumerable<string> Condition(RuleMatch match)
    {
        if (match.Host is { } host)
        {
            yield return "{";
            yield return "req.hdr(host),field(1,:)";
            yield return "-m";
            yield return host.StartsWith("*.", StringComparison.Ordinal) ? "end" : "str";
            yield return "-i";
            yield return HaproxyText.Quote(host.StartsWith("*.", StringComparison.Ordinal) ? host[1..] : host);
            yield return "}";
        }

        if (match.Path is { } path)
        {
            yield return "{";
            yield return match.PathMatch is PathMatch.Exact ? "path" : "path_beg";
            yield return HaproxyText.Quote(path);
            yield return "}";
        }
    }

    /// <summary>
    /// The redirect target as a log-format string: given parts are literal, the others come from the request. A new
    /// host without a port goes to the scheme's default port; a new port keeps the request's host name. A new path
    /// keeps the request's query string.
    /// </summary>
    private static string Location(RedirectSpec redirect, ListenerProtocol protocol)
    {
        var scheme = (redirect.Scheme ?? (protocol is ListenerProtocol.Https ? RedirectScheme.Https : RedirectScheme.Http)) is RedirectScheme.Https ? "https" : "http";
        var host = redirect.Host is { } literal
            ? HaproxyText.LogFormatLiteral(literal)
            : redirect.Port is null ? "%[req.hdr(host)]" : "%[req.hdr(host),regsub(:[0-9]+$,)]";
        var port = redirect.Port is { } number ? ":" + Number(number) : "";
        var path = redirect.Path is { } given ? HaproxyText.LogFormatLiteral(given) + "%[query,regsub(^,?)]" : "%[pathq]";
        return $"{scheme}://{host}{port}{path}";
    }

    private void DefaultBackend(Scope scope, string listenerId, bool http, IReadOnlyList<CheckedRule> rules, IReadOnlyDictionary<string, SnapshotBackendGroup> groups)
    {
        if (scope.Listener.DefaultBackendGroupId is { } groupId)
        {
            if (groups.ContainsKey(groupId))
            {
                _config.Line("default_backend", BackendName(listenerId, groupId));
            }
        }
        else if (!http)
        {
            _config.Line("tcp-request", "connection", "reject");
        }
    }

    private void Backend(Scope scope, string listenerId, SnapshotBackendGroup group, TimeoutSpec timeouts)
    {
        var listener = scope.Listener;
        var groupPath = $"{scope.LoadBalancerPath}.backendGroups[{IndexOf(scope.LoadBalancer.BackendGroups, group)}]";
        _config.Section("backend", BackendName(listenerId, group.Id), "from", listener.Protocol is ListenerProtocol.Tcp ? "tcp" : "http");
        _config.Line("balance", listener.Scheduler switch
        {
            Scheduler.LeastConnections => "leastconn",
            Scheduler.SourceIp => "source",
            _ => "roundrobin",
        });
        if (timeouts.ConnectMs is { } connect)
        {
            _config.Line("timeout", "connect", HaproxyText.Duration(connect));
        }

        if (timeouts.ServerMs is { } server)
        {
            _config.Line("timeout", "server", HaproxyText.Duration(server));
        }

        var check = HealthCheck(scope);
        var cookie = Stickiness(scope);
        for (var i = 0; i < group.Backends.Count; i++)
        {
            Server($"{groupPath}.backends[{i}]", group.Backends[i], listener.ProxyProtocol, check, cookie);
        }
    }

    /// <summary>Health check settings of the backend; returns whether servers are checked at all.</summary>
    private bool HealthCheck(Scope scope)
    {
        if (scope.Listener.HealthCheck is null)
        {
            return false;
        }

        var path = $"{scope.Path}.healthCheck";
        var check = scope.Listener.HealthCheck.Normalize(_errors, path, scope.Listener.Protocol);
        if (check.Type is HealthCheckType.Http && check.Http is { } http)
        {
            HttpCheck(http);
        }

        if (check.TimeoutMs is { } timeout)
        {
            _config.Line("timeout", "check", HaproxyText.Duration(timeout));
        }

        if (check.IntervalMs is { } interval && check.Rise is { } rise && check.Fall is { } fall)
        {
            _config.Line("default-server", "inter", HaproxyText.Duration(interval), "rise", Number(rise), "fall", Number(fall));
        }

        return check.Type is HealthCheckType.Tcp or HealthCheckType.Http;
    }

    /// <summary>
    /// An HTTP/1.1 request with the given Host, or HTTP/1.0 without one: many servers answer 400 to HTTP/1.1 without
    /// a Host header. The method and the status codes passed their strict grammars and are written as they are.
    /// </summary>
    private void HttpCheck(HttpCheckSpec http)
    {
        if (http.Method is null || http.Path is null || http.ExpectedCodes is null)
        {
            return;
        }

        _config.Line("option", "httpchk");
        List<string> send = ["http-check", "send", "meth", http.Method, "uri", HaproxyText.Quote(http.Path)];
        send.AddRange(http.Host is { } host
            ? ["ver", "HTTP/1.1", "hdr", "Host", HaproxyText.Quote(HaproxyText.LogFormatLiteral(host))]
            : ["ver", "HTTP/1.0"]);
        _config.Line([.. send]);
        _config.Line("http-check", "expect", "status", http.ExpectedCodes);
    }

    /// <summary>Writes the stickiness of the backend; returns whether servers need a cookie value.</summary>
    private bool Stickiness(Scope scope)
    {
        if (scope.Listener.StickySession is null)
        {
            return false;
        }

        var sticky = scope.Listener.StickySession.Normalize(_errors, $"{scope.Path}.stickySession", scope.Listener.Protocol);
        if (sticky.TimeoutMs is not { } timeout)
        {
            return false;
        }

        var expire = HaproxyText.Duration(timeout);
        switch (sticky.Type)
        {
            case StickySessionType.SourceIp:
                var type = scope.Vip?.AddressFamily is AddressFamily.InterNetworkV6 ? "ipv6" : "ip";
                _config.Line("stick-table", "type", type, "size", StickTableSize, "expire", expire, "peers", PeersSection);
                _config.Line("stick", "on", "src");
                return false;
            case StickySessionType.CookieInsert when sticky.CookieName is { } name:
                // maxidle makes a client idle for longer than the timeout start afresh, as a stick table entry would.
                List<string> cookie = ["cookie", HaproxyText.Quote(name), "insert", "indirect", "nocache", "httponly"];
                if (scope.Listener.Protocol is ListenerProtocol.Https)
                {
                    cookie.Add("secure");
                }

                cookie.AddRange(["maxidle", expire]);
                _config.Line([.. cookie]);
                return true;
            case StickySessionType.AppCookie when sticky.CookieName is { } name:
                var argument = HaproxyText.SampleArgument(name);
                _config.Line("stick-table", "type", "string", "len", "128", "size", StickTableSize, "expire", expire, "peers", PeersSection);
                _config.Line("stick", "on", HaproxyText.Quote($"req.cook({argument})"));
                _config.Line("stick", "store-response", HaproxyText.Quote($"res.cook({argument})"));
                return false;
            default:
                return false;
        }
    }

    private void Server(string path, SnapshotBackend backend, ProxyProtocol proxyProtocol, bool check, bool cookie)
    {
        var id = Id($"{path}.id", backend.Id);
        var address = Address($"{path}.address", backend.Address);
        var port = Grammar.Port(_errors, $"{path}.port", backend.Port);
        var weight = Grammar.Range(_errors, $"{path}.weight", backend.Weight, 0, BackendRequest.MaxWeight);
        if (id is null || address is null || port is null || weight is null)
        {
            return;
        }

        // Draining keeps the server's established and sticky sessions but gives it no new ones: weight 0.
        List<string> server = ["server", id, Endpoint(address, port.Value), "weight", Number(backend.AdminState is BackendAdminState.Drain ? 0 : weight.Value)];
        if (check)
        {
            server.Add("check");
        }

        if (backend.Backup)
        {
            server.Add("backup");
        }

        if (backend.AdminState is BackendAdminState.Disabled)
        {
            server.Add("disabled");
        }

        // haproxy sends the PROXY header on health checks of the traffic port too, as such a server expects.
        if (proxyProtocol is not ProxyProtocol.None)
        {
            server.Add(proxyProtocol is ProxyProtocol.V2 ? "send-proxy-v2" : "send-proxy");
        }

        if (cookie)
        {
            server.AddRange(["cookie", id]);
        }

        _config.Line([.. server]);
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
