using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Core.Validation;
using Fulcrum.Dataplane.AccessLogs;

namespace Fulcrum.Dataplane.Haproxy;

/// <summary>Frontends: where and how a listener accepts connections, and which backend gets them.</summary>
public sealed partial class HaproxyRenderer
{
    private void Frontend(Scope scope, string id, TimeoutSpec timeouts, IReadOnlyList<CheckedRule> rules, IReadOnlyList<SnapshotBackendGroup> groups)
    {
        var listener = scope.Listener;
        var http = listener.Protocol is not ListenerProtocol.Tcp;
        _config.Section("frontend", id, "from", http ? "http" : "tcp");
        Bind(scope, id);
        _config.Line("maxconn", Number(FrontendConnections(scope)));
        if (timeouts.ClientMs is { } client)
        {
            _config.Line("timeout", "client", HaproxyText.Duration(client));
        }

        AccessLog(scope);
        AclFilter(scope);
        if (http)
        {
            ForwardedHeaders(scope);
            Compression(scope);
            RedirectToHttps(scope);
            RuleActions(scope, rules);
        }

        // http-request lines come before use_backend lines: haproxy runs them first anyway, and warns otherwise.
        Unrouted(scope, http, rules);
        ResponseHeaders(rules);
        UseBackends(id, rules);
        DefaultBackend(scope, id, groups);
    }

    /// <summary>
    /// Sent to the agent's socket as datagrams, which haproxy never waits for: a busy or absent agent loses lines, it
    /// does not slow the traffic.
    /// </summary>
    private void AccessLog(Scope scope)
    {
        var listener = scope.Listener;
        if (listener.AccessLog is not true)
        {
            return;
        }

        var socket = Path.Combine(_facts.Runtime, AccessLogFormat.SocketName);
        _config.Line("log", HaproxyText.Quote(socket), "len", Number(AccessLogFormat.MaxLineLength), "format", "raw", "local0", "info");
        var format = listener.Protocol is ListenerProtocol.Tcp ? AccessLogFormat.Tcp : AccessLogFormat.Http(listener.Protocol);
        _config.Line("log-format", HaproxyText.Quote(format));
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

    /// <summary>
    /// Without a default group, what no rule forwards gets an explicit answer: 503 for http, a closed connection for
    /// tcp.
    /// </summary>
    private void Unrouted(Scope scope, bool http, IReadOnlyList<CheckedRule> rules)
    {
        if (scope.Listener.DefaultBackendGroupId is not null)
        {
            return;
        }

        if (!http)
        {
            _config.Line("tcp-request", "connection", "reject");
            return;
        }

        var claimed = rules.Any(r => r.Action.Type is RuleActionType.Forward);
        _config.Line(["http-request", "deny", "deny_status", "503", .. claimed ? ["if", .. Unclaimed(claimed)] : Array.Empty<string>()]);
    }

    private void DefaultBackend(Scope scope, string listenerId, IReadOnlyList<SnapshotBackendGroup> groups)
    {
        if (scope.Listener.DefaultBackendGroupId is { } groupId && groups.Any(g => g.Id == groupId))
        {
            _config.Line("default_backend", BackendName(listenerId, groupId));
        }
    }
}
