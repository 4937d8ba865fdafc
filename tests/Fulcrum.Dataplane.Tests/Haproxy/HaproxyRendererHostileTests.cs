using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane.Haproxy;
using Fulcrum.Dataplane.Tests.Infrastructure;

namespace Fulcrum.Dataplane.Tests.Haproxy;

/// <summary>
/// Every string field of a snapshot, fed the hostile values of the API's validation suite without the API in
/// between: the renderer either refuses the snapshot or writes the value so that haproxy reads it as one inert word.
/// </summary>
public sealed class HaproxyRendererHostileTests
{
    private const int Http = 0;
    private const int Https = 1;
    private const int Udp = 2;

    /// <summary>Each is also tried after a '/' (so that it may pass as a path) and after the field's own valid value.</summary>
    private static readonly string[] Hostile =
    [
        "",
        " ",
        "with space",
        "\n  bind *:80",
        "line\nbreak",
        "carriage\rreturn",
        "tab\there",
        "nul\0byte",
        "it's",
        "'; bind *:80 #",
        "say \"hi\"",
        "#comment",
        "back\\slash",
        "$(reboot)",
        "${HOME}",
        "%[src]",
        "\u202Eevil",
        "zero\u200Bwidth",
    ];

    private static readonly Dictionary<string, Field> Fields = new Field[]
    {
        new("clusterId", s => s.ClusterId, (s, v) => s with { ClusterId = v }),
        new("nodes[0].id", s => s.Nodes[0].Id, (s, v) => Node(s, 0, n => n with { Id = v })),
        new("nodes[1].id", s => s.Nodes[1].Id, (s, v) => Node(s, 1, n => n with { Id = v })),
        new("nodes[1].address", s => s.Nodes[1].Address, (s, v) => Node(s, 1, n => n with { Address = v })),
        new("nodes[1].interface", s => s.Nodes[1].Interface, (s, v) => Node(s, 1, n => n with { Interface = v })),
        new("loadBalancers[0].id", s => s.LoadBalancers[0].Id, (s, v) => LoadBalancer(s, lb => lb with { Id = v })),
        new("loadBalancers[0].vip", s => s.LoadBalancers[0].Vip, (s, v) => LoadBalancer(s, lb => lb with { Vip = v })),
        new("listeners[http].id", s => L(s, Http).Id, (s, v) => Listener(s, Http, l => l with { Id = v })),
        new("listeners[http].defaultBackendGroupId", s => L(s, Http).DefaultBackendGroupId!, (s, v) => Listener(s, Http, l => l with { DefaultBackendGroupId = v })),
        new("listeners[http].healthCheck.http.method", s => L(s, Http).HealthCheck!.Http!.Method!, (s, v) => HttpCheck(s, c => c with { Method = v })),
        new("listeners[http].healthCheck.http.path", s => L(s, Http).HealthCheck!.Http!.Path!, (s, v) => HttpCheck(s, c => c with { Path = v })),
        new("listeners[http].healthCheck.http.host", s => L(s, Http).HealthCheck!.Http!.Host!, (s, v) => HttpCheck(s, c => c with { Host = v })),
        new("listeners[http].healthCheck.http.expectedCodes", s => L(s, Http).HealthCheck!.Http!.ExpectedCodes!, (s, v) => HttpCheck(s, c => c with { ExpectedCodes = v })),
        new("listeners[http].stickySession.cookieName", s => L(s, Http).StickySession!.CookieName!, (s, v) => Listener(s, Http, l => l with { StickySession = l.StickySession! with { CookieName = v } })),
        new("listeners[http].acl.aclId", s => L(s, Http).Acl!.AclId!, (s, v) => Listener(s, Http, l => l with { Acl = l.Acl! with { AclId = v } })),
        new("listeners[http].rules[0].id", s => R(s, 0).Id, (s, v) => Rule(s, 0, r => r with { Id = v })),
        new("listeners[http].rules[0].match.host", s => R(s, 0).Match.Host!, (s, v) => Rule(s, 0, r => r with { Match = r.Match with { Host = v } })),
        new("listeners[http].rules[0].match.path", s => R(s, 0).Match.Path!, (s, v) => Rule(s, 0, r => r with { Match = r.Match with { Path = v } })),
        new("listeners[http].rules[0].action.backendGroupId", s => R(s, 0).Action.BackendGroupId!, (s, v) => Rule(s, 0, r => r with { Action = r.Action with { BackendGroupId = v } })),
        new("listeners[http].rules[1].match.host", s => R(s, 1).Match.Host!, (s, v) => Rule(s, 1, r => r with { Match = r.Match with { Host = v } })),
        new("listeners[http].rules[1].action.redirect.host", s => R(s, 1).Action.Redirect!.Host!, (s, v) => Redirect(s, d => d with { Host = v })),
        new("listeners[http].rules[1].action.redirect.path", s => R(s, 1).Action.Redirect!.Path!, (s, v) => Redirect(s, d => d with { Path = v })),
        new("listeners[http].rules[2].match.path", s => R(s, 2).Match.Path!, (s, v) => Rule(s, 2, r => r with { Match = r.Match with { Path = v } })),
        Condition(0, "name"), Condition(0, "value"), Condition(1, "name"), Condition(1, "value"), Condition(2, "name"), Condition(2, "value"),
        Condition(3, "value"), Condition(4, "value"), Condition(5, "value"), Condition(6, "value"),
        new("listeners[http].rules[3].action.requestHeaders[0].name", s => R(s, 3).Action.RequestHeaders![0].Name!, (s, v) => Rule(s, 3, r => r with { Action = r.Action with { RequestHeaders = [r.Action.RequestHeaders![0] with { Name = v }] } })),
        new("listeners[http].rules[3].action.requestHeaders[0].value", s => R(s, 3).Action.RequestHeaders![0].Value!, (s, v) => Rule(s, 3, r => r with { Action = r.Action with { RequestHeaders = [r.Action.RequestHeaders![0] with { Value = v }] } })),
        new("listeners[http].rules[3].action.responseHeaders[0].value", s => R(s, 3).Action.ResponseHeaders![0].Value!, (s, v) => Rule(s, 3, r => r with { Action = r.Action with { ResponseHeaders = [r.Action.ResponseHeaders![0] with { Value = v }] } })),
        new("listeners[http].rules[4].action.fixedResponse.body", s => R(s, 4).Action.FixedResponse!.Body!, (s, v) => Rule(s, 4, r => r with { Action = r.Action with { FixedResponse = r.Action.FixedResponse! with { Body = v } } })),
        new("listeners[http].rules[4].action.fixedResponse.contentType", s => R(s, 4).Action.FixedResponse!.ContentType!, (s, v) => Rule(s, 4, r => r with { Action = r.Action with { FixedResponse = r.Action.FixedResponse! with { ContentType = v } } })),
        new("listeners[http].rules[5].action.redirect.url", s => R(s, 5).Action.Redirect!.Url!, (s, v) => Rule(s, 5, r => r with { Action = r.Action with { Redirect = r.Action.Redirect! with { Url = v } } })),
        new("listeners[http].rules[6].action.redirect.prefix", s => R(s, 6).Action.Redirect!.Prefix!, (s, v) => Rule(s, 6, r => r with { Action = r.Action with { Redirect = r.Action.Redirect! with { Prefix = v } } })),
        new("listeners[https].stickySession.cookieName", s => L(s, Https).StickySession!.CookieName!, (s, v) => Listener(s, Https, l => l with { StickySession = l.StickySession! with { CookieName = v } })),
        new("listeners[https].tls.certificateId", s => L(s, Https).Tls!.CertificateId!, (s, v) => Listener(s, Https, l => l with { Tls = l.Tls! with { CertificateId = v } })),
        new("listeners[https].tls.sniCertificateIds[0]", s => L(s, Https).Tls!.SniCertificateIds![0], (s, v) => Listener(s, Https, l => l with { Tls = l.Tls! with { SniCertificateIds = [v] } })),
        new("listeners[udp].healthCheck.udp.send", s => L(s, Udp).HealthCheck!.Udp!.Send!, (s, v) => Listener(s, Udp, l => l with { HealthCheck = l.HealthCheck! with { Udp = l.HealthCheck.Udp! with { Send = v } } })),
        new("listeners[udp].healthCheck.udp.expect", s => L(s, Udp).HealthCheck!.Udp!.Expect!, (s, v) => Listener(s, Udp, l => l with { HealthCheck = l.HealthCheck! with { Udp = l.HealthCheck.Udp! with { Expect = v } } })),
        new("backendGroups[0].id", s => s.LoadBalancers[0].BackendGroups[0].Id, (s, v) => Group(s, 0, g => g with { Id = v })),
        new("backendGroups[0].backends[0].id", s => s.LoadBalancers[0].BackendGroups[0].Backends[0].Id, (s, v) => Backend(s, b => b with { Id = v })),
        new("backendGroups[0].backends[0].address", s => s.LoadBalancers[0].BackendGroups[0].Backends[0].Address, (s, v) => Backend(s, b => b with { Address = v })),
        new("certificates[0].id", s => s.Certificates[0].Id, (s, v) => Certificate(s, c => c with { Id = v })),
        new("certificates[0].chainPem", s => s.Certificates[0].ChainPem, (s, v) => Certificate(s, c => c with { ChainPem = v })),
        new("certificates[0].privateKeyPem", s => s.Certificates[0].PrivateKeyPem!, (s, v) => Certificate(s, c => c with { PrivateKeyPem = v })),
        new("acls[0].id", s => s.Acls[0].Id, (s, v) => s with { Acls = [s.Acls[0] with { Id = v }] }),
        new("acls[0].cidrs[0]", s => s.Acls[0].Cidrs[0], (s, v) => s with { Acls = [s.Acls[0] with { Cidrs = [v] }] }),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static TheoryData<string> FieldNames => [.. Fields.Keys];

    [Theory]
    [MemberData(nameof(FieldNames))]
    public async Task Render_HostileValueInField_IsRefusedOrQuotedAndAcceptedByHaproxy(string name)
    {
        var field = Fields[name];
        var baseline = Config(HaproxyRenderer.Render(Base, Golden.Facts, Golden.Directory));
        var original = field.Get(Base);

        foreach (var (hostile, value) in Hostile.SelectMany(h => new[] { (h, h), (h, "/" + h), (h, original + h) }))
        {
            var snapshot = field.Set(Base, value);
            IReadOnlyList<RenderedFile> files;
            try
            {
                files = HaproxyRenderer.Render(snapshot, Golden.Facts, Golden.Directory);
            }
            catch (RenderRefusedException refused)
            {
                Assert.False(refused.Errors.IsEmpty);
                if (hostile.Length >= 4)
                {
                    Assert.DoesNotContain(hostile, refused.Message, StringComparison.Ordinal);
                }

                continue;
            }

            var config = Config(files);
            Assert.All(files, file => Assert.DoesNotMatch(@"[\x00-\x09\x0B-\x1F\x7F]|[^\x00-\x7F]", file.Content));
            Assert.Equal(Keywords(baseline), Keywords(config));
            if (config != baseline)
            {
                var check = await HaproxyCheck.RenderAndCheckAsync(snapshot);
                Assert.True(check.ExitCode == 0, $"{name} = {Show(value)}:\n{check.Output}");
            }
        }
    }

    [Fact]
    public async Task Render_PathAndCookieNamesWithDollarAndPercent_AreQuotedAndAcceptedByHaproxy()
    {
        var snapshot = Fields["listeners[http].rules[2].match.path"].Set(Base, "/it%27s/$(reboot)");
        snapshot = Fields["listeners[http].rules[1].action.redirect.path"].Set(snapshot, "/new%41$HOME");
        snapshot = Fields["listeners[http].stickySession.cookieName"].Set(snapshot, "its$x");
        snapshot = Fields["listeners[https].stickySession.cookieName"].Set(snapshot, "$x|y");

        var config = Config(HaproxyRenderer.Render(snapshot, Golden.Facts, Golden.Directory));
        var check = await HaproxyCheck.RenderAndCheckAsync(snapshot);

        Assert.Contains("{ path '/it%27s/$(reboot)' }", config, StringComparison.Ordinal);
        Assert.Contains("location 'https://new.example.test/new%%41$HOME%[query,regsub(^,?)]'", config, StringComparison.Ordinal);
        Assert.Contains("stick on 'req.cook(its$x)'", config, StringComparison.Ordinal);
        Assert.Contains("cookie '$x|y' insert", config, StringComparison.Ordinal);
        Assert.True(check.ExitCode == 0, check.Output);
    }

    /// <summary>Quotes and '#' are refused by the grammars themselves (a client writes %27 and %23 in a path).</summary>
    [Fact]
    public void Render_PathAndCookieNamesWithQuoteOrHash_AreRefused()
    {
        var snapshot = Fields["listeners[http].rules[2].match.path"].Set(Base, "/it's");
        snapshot = Fields["listeners[http].stickySession.cookieName"].Set(snapshot, "a#b");

        var refused = Assert.Throws<RenderRefusedException>(() => HaproxyRenderer.Render(snapshot, Golden.Facts, Golden.Directory));

        Assert.Equal(2, refused.Errors.ToDictionary().Count);
    }

    [Fact]
    public void Render_SeveralInvalidFields_ListsEveryOneByPath()
    {
        var snapshot = Fields["listeners[http].rules[0].match.host"].Set(Base, "evil\n.test");
        snapshot = Fields["backendGroups[0].backends[0].address"].Set(snapshot, "198.18.1.10\n  bind *:80");
        snapshot = Fields["acls[0].cidrs[0]"].Set(snapshot, "${HOME}");

        var refused = Assert.Throws<RenderRefusedException>(() => HaproxyRenderer.Render(snapshot, Golden.Facts, Golden.Directory));

        Assert.Equal(
            ["acls[0].cidrs[0]", "loadBalancers[0].backendGroups[0].backends[0].address", "loadBalancers[0].listeners[0].rules[0].match.host"],
            refused.Errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_WithoutPrivateKey_IsRefused()
    {
        var snapshot = Certificate(Base, c => c with { PrivateKeyPem = null });

        var refused = Assert.Throws<RenderRefusedException>(() => HaproxyRenderer.Render(snapshot, Golden.Facts, Golden.Directory));

        Assert.Equal(["certificates[0].privateKeyPem"], refused.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Render_NodeMissingFromSnapshot_IsRefused()
    {
        var refused = Assert.Throws<RenderRefusedException>(() => HaproxyRenderer.Render(Base, Golden.Facts with { NodeId = "node-z" }, Golden.Directory));

        Assert.Equal(["nodes"], refused.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Render_TwoListenersOnOneVipAndPort_IsRefused()
    {
        var snapshot = Listener(Base, Https, l => l with { Port = 80 });

        var refused = Assert.Throws<RenderRefusedException>(() => HaproxyRenderer.Render(snapshot, Golden.Facts, Golden.Directory));

        Assert.Equal(["loadBalancers[0].listeners[1].port"], refused.Errors.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("/var/lib/fulcrum/../etc")]
    [InlineData("/var/lib/with space")]
    [InlineData("/var/lib/it's")]
    [InlineData("/var/lib/new\nline")]
    public void Render_UnsafeDirectoryOrRuntime_Throws(string path)
    {
        Assert.Throws<ArgumentException>(() => HaproxyRenderer.Render(Base, Golden.Facts, path));
        Assert.Throws<ArgumentException>(() => HaproxyRenderer.Render(Base, Golden.Facts with { Runtime = path }, Golden.Directory));
    }

    [Fact]
    public void Render_CertificateBundles_AreSecretAndNothingElseIs()
    {
        var files = HaproxyRenderer.Render(Base, Golden.Facts, Golden.Directory);

        Assert.Equal(
            ["haproxy/certs/cert-api.pem", "haproxy/certs/cert-www.pem"],
            files.Where(f => f.Secret).Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.All(files.Where(f => f.Secret), f => Assert.Contains("PRIVATE KEY", f.Content, StringComparison.Ordinal));
    }

    /// <summary>
    /// A snapshot that uses every string field haproxy renders: an http listener with an http check, application
    /// cookie stickiness, an ACL and forward/redirect/reject rules; an https listener with two certificates and an
    /// inserted cookie; and a udp listener, which haproxy must ignore.
    /// </summary>
    private static ClusterSnapshot Base { get; } = new(
        "cl-lab",
        7,
        new VrrpSpec(51, 200, false, true),
        [new SnapshotNode("node-a", "198.18.0.11", "eth0", 100), new SnapshotNode("node-b", "198.18.0.12", "eth0", 90)],
        [
            new SnapshotLoadBalancer("lb-web", "198.18.10.1", 24, true,
                [
                    Listen("lsn-http", ListenerProtocol.Http, 80) with
                    {
                        HealthCheck = new HealthCheckSpec(HealthCheckType.Http, 2000, 1000, 2, 3, new HttpCheckSpec("GET", "/health", "health.example.test", "200-399"), null),
                        StickySession = new StickySessionSpec(StickySessionType.AppCookie, "SESSION", 1_800_000),
                        Acl = new AclBinding(AclMode.Allow, "acl-office"),
                        Rules =
                        [
                            new SnapshotRule("rule-fwd", new RuleMatch("www.example.test", "/api", PathMatch.Prefix), new RuleAction(RuleActionType.Forward, "bg-api", null, null), true),
                            new SnapshotRule("rule-moved", new RuleMatch("*.old.example.test", null, null), new RuleAction(RuleActionType.Redirect, null, new RedirectSpec(RedirectScheme.Https, "new.example.test", null, "/new", 301), null), true),
                            new SnapshotRule("rule-deny", new RuleMatch(null, "/admin", PathMatch.Exact), new RuleAction(RuleActionType.Reject, null, null, 403), true),
                            new SnapshotRule(
                                "rule-l7",
                                new RuleMatch(null, null, null,
                                [
                                    new RuleCondition(ConditionType.Header, "X-Env", ValueMatch.Contains, "beta", true),
                                    new RuleCondition(ConditionType.Cookie, "tier", ValueMatch.Exact, "gold", false),
                                    new RuleCondition(ConditionType.Query, "v", ValueMatch.Regex, "^v[0-9]+$", false),
                                    new RuleCondition(ConditionType.Method, null, ValueMatch.Exact, "POST", false),
                                    new RuleCondition(ConditionType.Source, null, ValueMatch.Exact, "198.18.0.0/15", false),
                                    new RuleCondition(ConditionType.Host, null, ValueMatch.Prefix, "www.", false),
                                    new RuleCondition(ConditionType.Path, null, ValueMatch.Suffix, ".php", false),
                                ]),
                                new RuleAction(RuleActionType.Forward, "bg-api", null, null,
                                    RequestHeaders: [new HeaderChange(HeaderOperation.Set, "X-Tier", "gold")],
                                    ResponseHeaders: [new HeaderChange(HeaderOperation.Add, "Strict-Transport-Security", "max-age=600")]),
                                true),
                            new SnapshotRule(
                                "rule-fixed",
                                new RuleMatch(null, "/healthz", PathMatch.Exact),
                                new RuleAction(RuleActionType.FixedResponse, null, null, null, new FixedResponseSpec(200, "text/plain", "ok")),
                                true),
                            new SnapshotRule("rule-url", new RuleMatch(null, "/url", null), new RuleAction(RuleActionType.Redirect, null, new RedirectSpec(null, null, null, null, 302, Url: "https://www.example.test/to"), null), true),
                            new SnapshotRule("rule-prefix", new RuleMatch(null, "/prefix", null), new RuleAction(RuleActionType.Redirect, null, new RedirectSpec(null, null, null, null, 302, Prefix: "/to"), null), true),
                        ],
                    },
                    Listen("lsn-https", ListenerProtocol.Https, 443) with
                    {
                        StickySession = new StickySessionSpec(StickySessionType.CookieInsert, "FULCRUM_BACKEND", 1_800_000),
                        Tls = new TlsSpec("cert-www", ["cert-api"], TlsVersion.Tls12),
                    },
                    Listen("lsn-dns", ListenerProtocol.Udp, 53) with
                    {
                        ForwardedHeaders = false,
                        HealthCheck = new HealthCheckSpec(HealthCheckType.Udp, 2000, 1000, 2, 3, null, new UdpCheckSpec("ping", "pong")),
                    },
                ],
                [
                    new SnapshotBackendGroup("bg-web", [new SnapshotBackend("be-web1", "198.18.1.10", 8080, 1, false, BackendAdminState.Enabled)]),
                    new SnapshotBackendGroup("bg-api", [new SnapshotBackend("be-api1", "198.18.1.20", 9000, 1, false, BackendAdminState.Enabled)]),
                ]),
        ],
        Golden.Snapshot("haproxy", "https-sni-http2-min-tls").Certificates.OrderByDescending(c => c.Id, StringComparer.Ordinal).ToList(),
        [new SnapshotAcl("acl-office", ["198.18.0.0/15"])]);

    private static SnapshotListener Listen(string id, ListenerProtocol protocol, int port) => new(
        id, protocol, port, "bg-web", Scheduler.RoundRobin, null, new TimeoutSpec(5000, 50000, 50000), null, null,
        ForwardedHeaders: true, Gzip: false, Http2: false, RedirectToHttps: false, null, null, ProxyProtocol.None, Enabled: true, []);

    private static SnapshotListener L(ClusterSnapshot s, int index) => s.LoadBalancers[0].Listeners[index];

    private static SnapshotRule R(ClusterSnapshot s, int index) => L(s, Http).Rules[index];

    private static ClusterSnapshot Node(ClusterSnapshot s, int index, Func<SnapshotNode, SnapshotNode> change) =>
        s with { Nodes = Replace(s.Nodes, index, change) };

    private static ClusterSnapshot LoadBalancer(ClusterSnapshot s, Func<SnapshotLoadBalancer, SnapshotLoadBalancer> change) =>
        s with { LoadBalancers = [change(s.LoadBalancers[0])] };

    private static ClusterSnapshot Listener(ClusterSnapshot s, int index, Func<SnapshotListener, SnapshotListener> change) =>
        LoadBalancer(s, lb => lb with { Listeners = Replace(lb.Listeners, index, change) });

    private static ClusterSnapshot HttpCheck(ClusterSnapshot s, Func<HttpCheckSpec, HttpCheckSpec> change) =>
        Listener(s, Http, l => l with { HealthCheck = l.HealthCheck! with { Http = change(l.HealthCheck.Http!) } });

    private static ClusterSnapshot Rule(ClusterSnapshot s, int index, Func<SnapshotRule, SnapshotRule> change) =>
        Listener(s, Http, l => l with { Rules = Replace(l.Rules, index, change) });

    private static ClusterSnapshot Redirect(ClusterSnapshot s, Func<RedirectSpec, RedirectSpec> change) =>
        Rule(s, 1, r => r with { Action = r.Action with { Redirect = change(r.Action.Redirect!) } });

    /// <summary>The name or value of a condition of the rule with every condition type.</summary>
    private static Field Condition(int index, string part) => new(
        $"listeners[http].rules[3].match.conditions[{index}].{part}",
        s => part == "name" ? R(s, 3).Match.Conditions![index].Name! : R(s, 3).Match.Conditions![index].Value!,
        (s, v) => Rule(s, 3, r => r with
        {
            Match = r.Match with { Conditions = Replace(r.Match.Conditions!, index, c => part == "name" ? c with { Name = v } : c with { Value = v }) },
        }));

    private static ClusterSnapshot Group(ClusterSnapshot s, int index, Func<SnapshotBackendGroup, SnapshotBackendGroup> change) =>
        LoadBalancer(s, lb => lb with { BackendGroups = Replace(lb.BackendGroups, index, change) });

    private static ClusterSnapshot Backend(ClusterSnapshot s, Func<SnapshotBackend, SnapshotBackend> change) =>
        Group(s, 0, g => g with { Backends = Replace(g.Backends, 0, change) });

    private static ClusterSnapshot Certificate(ClusterSnapshot s, Func<SnapshotCertificate, SnapshotCertificate> change) =>
        s with { Certificates = Replace(s.Certificates, 0, change) };

    private static List<T> Replace<T>(IReadOnlyList<T> items, int index, Func<T, T> change) =>
        items.Select((item, i) => i == index ? change(item) : item).ToList();

    private static string Config(IReadOnlyList<RenderedFile> files) => files.Single(f => f.Path == RenderedConfig.HaproxyConfig).Content;

    /// <summary>The first word of every line: an injected line or a split word would change it.</summary>
    private static List<string> Keywords(string config) => config.Split('\n').Select(line => line.Trim().Split(' ')[0]).ToList();

    private static string Show(string value) => string.Concat(value.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));

    private sealed record Field(string Name, Func<ClusterSnapshot, string> Get, Func<ClusterSnapshot, string, ClusterSnapshot> Set);
}
