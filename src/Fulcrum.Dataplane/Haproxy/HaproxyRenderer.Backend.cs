using System.Net.Sockets;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Core.Validation;

namespace Fulcrum.Dataplane.Haproxy;

/// <summary>Backends: one per listener and backend group, with its checks, stickiness and servers.</summary>
public sealed partial class HaproxyRenderer
{
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
        if (listener.Scheduler is Scheduler.SourceIp)
        {
            // Consistent hashing makes balance source dynamic: weights change and servers are added or removed at
            // runtime without a reload, and a server coming or going moves only its own share of clients.
            _config.Line("hash-type", "consistent");
        }

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
            HttpCheck($"{path}.http", http);
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
    private void HttpCheck(string path, HttpCheckSpec http)
    {
        if (http.Method is null || http.ExpectedCodes is null || Present($"{path}.path", http.Path) is not { } uri)
        {
            return;
        }

        _config.Line("option", "httpchk");
        List<string> send = ["http-check", "send", "meth", http.Method, "uri", HaproxyText.Quote(uri)];
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
            case StickySessionType.CookieInsert when Present($"{scope.Path}.stickySession.cookieName", sticky.CookieName) is { } name:
                // maxidle makes a client idle for longer than the timeout start afresh, as a stick table entry would.
                List<string> cookie = ["cookie", HaproxyText.Quote(name), "insert", "indirect", "nocache", "httponly"];
                if (scope.Listener.Protocol is ListenerProtocol.Https)
                {
                    cookie.Add("secure");
                }

                cookie.AddRange(["maxidle", expire]);
                _config.Line([.. cookie]);
                return true;
            case StickySessionType.AppCookie when Present($"{scope.Path}.stickySession.cookieName", sticky.CookieName) is { } name:
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
}
