using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Dataplane.Haproxy;

/// <summary>The layer 7 rules of http and https listeners, in their order.</summary>
public sealed partial class HaproxyRenderer
{
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

            // A value that failed its grammar is null in the normalised rule: such a rule is not written at all.
            if (id is not null && match is not null && action is not null && !_errors.Has(path))
            {
                rules.Add(new CheckedRule(path, id, match, action));
            }
        }

        return rules;
    }

    /// <summary>The backend groups the listener sends to, by id: its default group, then those of forward rules.</summary>
    private List<SnapshotBackendGroup> BackendGroups(Scope scope, IReadOnlyList<CheckedRule> rules)
    {
        var groups = new List<SnapshotBackendGroup>();
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

    private void AddGroup(List<SnapshotBackendGroup> groups, Scope scope, string path, string groupId)
    {
        if (groups.Any(g => g.Id == groupId))
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
            groups.Add(group);
        }
    }

    /// <summary>
    /// haproxy runs every <c>http-request</c> rule before any <c>use_backend</c>, whatever their order in the file,
    /// so a forward rule cannot simply be a <c>use_backend</c>: a later redirect or reject would win over it. Every
    /// rule instead first claims the request by setting <see cref="RuleVariable"/> to its id, every later rule acts
    /// only on unclaimed requests, and the rule's own actions (and <see cref="UseBackends"/>) read the variable.
    /// </summary>
    private void RuleActions(Scope scope, IReadOnlyList<CheckedRule> rules)
    {
        var claimed = false;
        foreach (var rule in rules)
        {
            _config.Line(["http-request", $"set-var({RuleVariable})", $"str({rule.Id})", "if", .. Unclaimed(claimed), .. Condition(rule.Match)]);
            claimed = true;
            string[] claimedBy = ["if", .. ClaimedBy(rule.Id)];
            foreach (var change in rule.Action.RequestHeaders ?? [])
            {
                _config.Line(["http-request", .. HeaderChange(change), .. claimedBy]);
            }

            switch (rule.Action.Type)
            {
                case RuleActionType.Redirect when rule.Action.Redirect is { } redirect:
                    _config.Line(["http-request", "redirect", .. Redirect(redirect, scope.Listener.Protocol), "code", Number(redirect.Code ?? 302), .. claimedBy]);
                    break;
                case RuleActionType.Reject:
                    _config.Line(["http-request", "deny", "deny_status", Number(rule.Action.StatusCode ?? 403), .. claimedBy]);
                    break;
                case RuleActionType.FixedResponse when rule.Action.FixedResponse is { } response:
                    _config.Line(["http-request", "return", .. FixedResponse(rule.Id, response), .. claimedBy]);
                    break;
            }
        }
    }

    /// <summary>
    /// <c>http-after-response</c> rather than <c>http-response</c>: it also changes the answers haproxy makes itself
    /// (redirects, denials, fixed responses, a 503 when every server is down), so a header such as HSTS is never missing.
    /// </summary>
    private void ResponseHeaders(IReadOnlyList<CheckedRule> rules)
    {
        foreach (var rule in rules)
        {
            foreach (var change in rule.Action.ResponseHeaders ?? [])
            {
                _config.Line(["http-after-response", .. HeaderChange(change), "if", .. ClaimedBy(rule.Id)]);
            }
        }
    }

    private void UseBackends(string listenerId, IReadOnlyList<CheckedRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Action is { Type: RuleActionType.Forward, BackendGroupId: { } groupId })
            {
                _config.Line(["use_backend", BackendName(listenerId, groupId), "if", .. ClaimedBy(rule.Id)]);
            }
        }
    }

    private static string[] Unclaimed(bool claimed) => claimed ? ["!{", $"var({RuleVariable})", "-m", "found", "}"] : [];

    private static string[] ClaimedBy(string ruleId) => ["{", $"var({RuleVariable})", "-m", "str", ruleId, "}"];

    /// <summary>A header value is a log-format string: its '%' are doubled so that it stays the text the user typed.</summary>
    private static string[] HeaderChange(HeaderChange change) => change.Op switch
    {
        HeaderOperation.Remove => ["del-header", HaproxyText.Quote(change.Name!)],
        HeaderOperation.Add => ["add-header", HaproxyText.Quote(change.Name!), HaproxyText.Quote(HaproxyText.LogFormatLiteral(change.Value!))],
        _ => ["set-header", HaproxyText.Quote(change.Name!), HaproxyText.Quote(HaproxyText.LogFormatLiteral(change.Value!))],
    };

    /// <summary>The body goes into a file of its own, which haproxy sends as it is: the text never enters haproxy.cfg.</summary>
    private string[] FixedResponse(string ruleId, FixedResponseSpec response)
    {
        string[] status = ["status", Number(response.StatusCode ?? 200)];
        if (response.Body is not { Length: > 0 } body)
        {
            return status;
        }

        var file = SideFile($"responses/{ruleId}.body", body, secret: false);
        return [.. status, "content-type", HaproxyText.Quote(response.ContentType ?? FixedResponseSpec.DefaultContentType), "file", HaproxyText.Quote(file)];
    }

    /// <summary>
    /// Host matches ignore a port in the Host header (<c>field(1,:)</c>) and case; <c>*.suffix</c> matches any name
    /// below the suffix but not the suffix itself. Path prefixes are string prefixes, as everywhere else in Fulcrum.
    /// </summary>
    private static IEnumerable<string> Condition(RuleMatch match)
    {
        if (match.Host is { } host)
        {
            yield return "{";
            yield return HostFetch;
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

        foreach (var condition in match.Conditions ?? [])
        {
            foreach (var word in Condition(condition))
            {
                yield return word;
            }
        }
    }

    /// <summary>
    /// One condition as an anonymous ACL. Names are sample-fetch arguments inside a quoted word; the value comes after
    /// <c>--</c>, so that even a value starting with '-' is a pattern and never a flag, and is quoted.
    /// </summary>
    private static IEnumerable<string> Condition(RuleCondition condition)
    {
        yield return condition.Invert is true ? "!{" : "{";
        yield return condition.Type switch
        {
            ConditionType.Host => HostFetch,
            ConditionType.Path => "path",
            ConditionType.Header => HaproxyText.Quote($"req.fhdr({HaproxyText.SampleArgument(condition.Name!)})"),
            ConditionType.Cookie => HaproxyText.Quote($"req.cook({HaproxyText.SampleArgument(condition.Name!)})"),
            ConditionType.Query => HaproxyText.Quote($"url_param({HaproxyText.SampleArgument(condition.Name!)})"),
            ConditionType.Method => "method",
            _ => "src",
        };

        if (condition.Type is not ConditionType.Source)
        {
            yield return "-m";
            yield return condition.Match switch
            {
                ValueMatch.Prefix => "beg",
                ValueMatch.Suffix => "end",
                ValueMatch.Contains => "sub",
                ValueMatch.Regex => "reg",
                _ => "str",
            };
        }

        if (condition.Type is ConditionType.Host)
        {
            yield return "-i";
        }

        yield return "--";
        yield return HaproxyText.Quote(condition.Value!);
        yield return "}";
    }

    /// <summary>The words after <c>redirect</c>: a whole URL, a prefix, or a location built from the given parts.</summary>
    private static string[] Redirect(RedirectSpec redirect, ListenerProtocol protocol) =>
        redirect.Url is { } url ? ["location", HaproxyText.Quote(HaproxyText.LogFormatLiteral(url))]
        : redirect.Prefix is { } prefix ? ["prefix", HaproxyText.Quote(HaproxyText.LogFormatLiteral(prefix))]
        : ["location", HaproxyText.Quote(Location(redirect, protocol))];

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
}
