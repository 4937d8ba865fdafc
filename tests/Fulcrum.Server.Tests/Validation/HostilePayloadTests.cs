using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fulcrum.Core.Api;
using Fulcrum.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fulcrum.Server.Tests.Validation;

/// <summary>
/// Throws malformed and hostile payloads at every create and update endpoint. Each endpoint starts from a valid body
/// (the world each case runs in is built from the same bodies, which proves them valid) and gets one field at a time
/// replaced by a hostile value. Every field that is not display text must refuse every hostile value with a 400 naming
/// it; display text must refuse control and invisible characters. Nothing refused may leave a trace in the stored state.
/// </summary>
public sealed class HostilePayloadTests(FulcrumFactory factory, ITestOutputHelper output) : IClassFixture<FulcrumFactory>
{
    private const string Marker = "@@hostile@@";
    private const string Injection = "\n  bind *:80";

    /// <summary>Display text that is allowed to pass: quotes, '#', config punctuation and non-ASCII, but nothing invisible.</summary>
    private const string LooksLikeConfig = "Ops \"EU\" #4 — don't touch; {x} <b> & $y `z` \\w | Zürich 名前 🚀";

    private static TestCertificate? s_pem;
    private static TestCertificate? s_otherPem;
    private static TestCertificate? s_expiredPem;

    private int _sent;

    public static TheoryData<string> Endpoints =>
    [
        "projects", "tokens", "clusters", "join-tokens", "agent/join", "nodes", "load-balancers", "backend-groups", "backends",
        "listeners", "rules", "certificates", "acls",
    ];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Write_HostileValue_Returns400AndWritesNothing(string endpoint)
    {
        using var admin = factory.Admin();
        using var anonymous = new ApiClient(factory.CreateClient(token: null));
        var world = await WorldAsync(admin, anonymous);
        var failures = new List<string>();

        var before = await ApiState.CaptureAsync(admin);
        _sent = 0;
        var shapes = Shapes(world).Where(s => s.Endpoint == endpoint).ToList();
        foreach (var shape in shapes)
        {
            // Each hostile value goes to one write, create and update taking turns, so that both see every kind of value.
            // Whole hostile bodies go to the first shape only: the other shapes of an endpoint read bodies the same way.
            var http = shape.Anonymous ? anonymous.Http : admin.Http;
            var writes = shape.Writes().ToList();
            var turn = 0;
            foreach (var body in shape == shapes[0] ? BodyHostiles(writes[0].Body) : [])
            {
                var write = writes[turn++ % writes.Count];
                var response = await SendAsync(http, write.Method, write.Path, body.Bytes(write.Body), body.ContentType);
                await CheckRefusedAsync(response, $"{write.Method} {write.Path} ({shape.Label}) body {body.Label}", [body.Status], null, failures);
            }

            for (var index = 0; index < shape.Fields.Length; index++)
            {
                var field = shape.Fields[index];
                var sample = JsonPath.Get(shape.CreateBody ?? writes[0].Body, field.Path) ?? JsonPath.Get(writes[0].Body, field.Path);
                foreach (var hostile in MustRefuse(field, sample, index))
                {
                    var write = writes[turn++ % writes.Count];
                    var response = await SendAsync(http, write.Method, write.Path, Mutate(write.Body, field.Path, hostile.Json), "application/json");
                    var context = $"{write.Method} {write.Path} ({shape.Label}) field {field.Path} = {hostile.Label}";
                    await CheckRefusedAsync(response, context, field.Statuses ?? [HttpStatusCode.BadRequest], field.Path, failures, field.AlsoNamed);
                }
            }
        }

        output.WriteLine($"{endpoint}: {_sent} hostile requests");
        var written = ApiState.Differences(before, await ApiState.CaptureAsync(admin));
        Assert.True(
            failures.Count == 0 && written.Count == 0,
            $"{failures.Count} of {_sent} hostile requests to {endpoint} were not refused properly:\n{string.Join("\n", failures.Take(80))}\n"
            + $"and together they wrote {written.Count} change(s):\n{string.Join("\n", written)}");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Write_DisplayTextWithQuotesAndHash_RoundTripsAndStaysOutOfSnapshot(string endpoint)
    {
        using var admin = factory.Admin();
        using var anonymous = new ApiClient(factory.CreateClient(token: null));
        var world = await WorldAsync(admin, anonymous);
        var failures = new List<string>();
        _sent = 0;

        foreach (var shape in Shapes(world).Where(s => s.Endpoint == endpoint))
        {
            var http = shape.Anonymous ? anonymous.Http : admin.Http;
            foreach (var write in shape.Writes())
            {
                foreach (var field in shape.Fields.Where(f => f.Kind is Kind.Display or Kind.Payload))
                {
                    var context = $"{write.Method} {write.Path} ({shape.Label}) field {field.Path}";
                    var body = write.Body.DeepClone();
                    JsonPath.Set(body, field.Path, JsonValue.Create(LooksLikeConfig));
                    var response = await SendAsync(http, write.Method, write.Path, Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");
                    if (response.StatusCode == HttpStatusCode.BadRequest)
                    {
                        await CheckRefusedAsync(response, context, [HttpStatusCode.BadRequest], field.Path, failures);
                        continue;
                    }

                    var expected = write.Method == HttpMethod.Post ? HttpStatusCode.Created : HttpStatusCode.OK;
                    if (response.StatusCode != expected)
                    {
                        failures.Add($"{context}: expected {(int)expected} or 400, got {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync())}");
                        continue;
                    }

                    var written = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    var resource = write.Method == HttpMethod.Post ? shape.ResourcePath(written) : write.Path;
                    var stored = JsonNode.Parse(await (await admin.GetAsync(resource)).Content.ReadAsStringAsync())!;
                    if (JsonPath.Get(stored, field.Path)?.GetValue<string>() != LooksLikeConfig)
                    {
                        failures.Add($"{context}: GET {resource} does not return the accepted text exactly: {Shorten(stored.ToJsonString())}");
                    }

                    if (field.Kind == Kind.Display)
                    {
                        foreach (var clusterId in new[] { world.Cluster.Id, written["clusterId"]?.GetValue<string>(), written["id"]?.GetValue<string>() }.OfType<string>().Distinct())
                        {
                            var snapshot = await admin.GetAsync($"clusters/{clusterId}/snapshot");
                            if (snapshot.IsSuccessStatusCode && Strings(JsonNode.Parse(await snapshot.Content.ReadAsStringAsync())).Any(s => s.Contains(LooksLikeConfig, StringComparison.Ordinal)))
                            {
                                failures.Add($"{context}: the display text reached the snapshot of cluster {clusterId}.");
                            }
                        }
                    }

                    if (write.Method == HttpMethod.Post)
                    {
                        var deleted = await admin.DeleteAsync(resource);
                        Assert.True(deleted.StatusCode == HttpStatusCode.NoContent, $"{context}: DELETE {resource} gave {(int)deleted.StatusCode}");
                    }
                }
            }
        }

        output.WriteLine($"{endpoint}: {_sent} writes of display text");
        Assert.True(failures.Count == 0, $"Display text was mishandled by {endpoint}:\n{string.Join("\n", failures)}");
    }

    /// <summary>Whole bodies that are not a request at all, each built around the valid body of the write it goes to.</summary>
    private static IEnumerable<RawBody> BodyHostiles(JsonObject shape)
    {
        var key = shape.First().Key;
        yield return RawBody.Json("empty", _ => "");
        yield return RawBody.Json("null", _ => "null");
        yield return RawBody.Json("an array where the object belongs", json => $"[{json}]");
        yield return RawBody.Json("a string", _ => "\"x\"");
        yield return RawBody.Json("1e400", _ => "1e400");
        yield return RawBody.Json("form encoding", _ => "name=x&bind=*:80");
        yield return RawBody.Json("truncated", json => json[..^1]);
        yield return RawBody.Json("trailing garbage", json => json + "{}");
        yield return RawBody.Json("a comment", json => "/* x */" + json);
        yield return RawBody.Json($"{key} given twice", json => $"{{\"{key}\":null,{json[1..]}");
        yield return RawBody.Json("a lone surrogate in a field name", json => $"{{\"\\ud800\":1,{json[1..]}");
        yield return RawBody.Json("nesting 10000 deep", json => $"{{\"nested\":{new string('[', 10_000)}{new string(']', 10_000)},{json[1..]}");
        yield return RawBody.Json("an unknown field", json => $"{{\"__proto__\":{{\"admin\":true}},{json[1..]}");
        yield return new RawBody("invalid UTF-8 in a string", body => WithRawString(body, [(byte)'a', 0xC3, 0x28]), "application/json", HttpStatusCode.BadRequest);
        yield return new RawBody(
            "invalid UTF-8 in a field name",
            body => [.. "{\"a"u8, 0xFF, .. Encoding.UTF8.GetBytes($"\":1,{body.ToJsonString()[1..]}")],
            "application/json",
            HttpStatusCode.BadRequest);
        yield return new RawBody("sent as text/plain", body => Encoding.UTF8.GetBytes(body.ToJsonString()), "text/plain", HttpStatusCode.UnsupportedMediaType);
    }

    /// <summary>
    /// The hostile values for one field, derived from its valid value so that only the hostile part is wrong. Every
    /// field gets every value of its kind but one value of the wrong JSON type, the fields of a shape taking turns
    /// (by <paramref name="index"/>) so that each wrong type is still sent somewhere.
    /// </summary>
    private static IEnumerable<Hostile> MustRefuse(Field field, JsonNode? sample, int index)
    {
        var text = sample is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "x";
        var raw = sample?.ToJsonString() ?? "\"x\"";
        (Hostile[] Always, Hostile[] WrongTypes) values = field.Kind switch
        {
            Kind.Id => (
                [Str("a config line after a newline", text + Injection), Str("a double quote", text + "\""), Str("NUL", text + "\0"), LoneSurrogate(text), Str("100000 characters", text + new string('a', 100_000))],
                [Raw("a number", "12345"), Raw("an array", $"[{raw}]"), Raw("an object", "{}")]),
            Kind.Text => (
                [
                    Str("a config line after a newline", text + Injection), Str("a double quote", text + "\""), Str("a single quote", text + "'"),
                    Str("'#'", text + "#x"), Str("NUL", text + "\0"), Str("U+202E", "\u202e" + text), Str("U+200B", text + "\u200b"), LoneSurrogate(text),
                    Str("100000 characters", text + new string('a', 100_000)),
                ],
                [Raw("a number", "12345"), Raw("an object", "{\"$ne\":null}"), Raw("an array", $"[{raw}]")]),
            Kind.Display or Kind.Payload => (
                [
                    Str("a config line after a newline", text + Injection), Str("NUL", text + "\0"), Str("U+202E", text + "\u202e" + "gnp.exe"),
                    Str("U+200B", text + "\u200b"), LoneSurrogate(text), Str("5000 characters", new string('n', 5000)), Str("a leading space", " " + text),
                ],
                [Raw("a number", "12345"), Raw("an array", $"[{raw}]"), Raw("true", "true")]),
            Kind.Int => (
                [Raw("-1", "-1"), Raw("int.MaxValue", "2147483647"), Raw("99999999999", "99999999999"), Raw("1e400", "1e400")],
                [Raw("1.5", "1.5"), Str("a string", raw), Raw("true", "true"), Raw("an array", $"[{raw}]"), Raw("an object", "{}")]),
            Kind.Bool => ([], [Str("the string \"true\"", "true"), Raw("1", "1"), Raw("an object", "{}")]),
            Kind.Enum => (
                [
                    Str("a case variant", text.Any(char.IsLower) ? text.ToUpperInvariant() : text.ToLowerInvariant()),
                    Str("a capitalised variant", (char.IsUpper(text[0]) ? char.ToLowerInvariant(text[0]) : char.ToUpperInvariant(text[0])) + text[1..]),
                    Str("an unknown value", "bogus"), Str("a config line after a newline", text + Injection), LoneSurrogate(text),
                ],
                [Raw("an enum number", "0"), Raw("an object", "{}"), Raw("true", "true")]),
            Kind.Object => (
                [Raw("an array holding the object", $"[{raw}]"), Raw("the object with an unknown field", WithUnknownField(raw))],
                [Str("a string", "x"), Raw("a number", "42"), Raw("true", "true")]),
            Kind.Array => ([Raw("[null]", "[null]"), Raw("[42]", "[42]")], [Raw("an object", "{}"), Str("a string", "x")]),
            Kind.Date => (
                [
                    Str("not a date", "next tuesday"), Str("month 13", "2030-13-01T00:00:00Z"), Str("the past", "2000-01-01T00:00:00Z"),
                    Str("a config line after a newline", text + Injection), Str("offset +99:00", "2030-01-01T00:00:00+99:00"), LoneSurrogate(text),
                ],
                [Raw("a number", "1893456000")]),
            Kind.Pem => (
                [
                    Str("not PEM", "hello"), Str("NUL inside", text.Insert(text.Length / 2, "\0")), LoneSurrogate(text),
                    Str("300000 characters", text + new string('A', 300_000)),
                    Str("a block of garbage", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                    Str("a config line inside the header", text.Replace("-----\n", "-----" + Injection + "\n", StringComparison.Ordinal)),
                ],
                [Raw("a number", "42")]),
            _ => throw new InvalidOperationException($"No hostile values for {field.Kind}."),
        };
        return [.. values.Always, values.WrongTypes[index % values.WrongTypes.Length], .. field.Extra ?? []];
    }

    private static IEnumerable<Shape> Shapes(World w)
    {
        var pem = s_pem!;
        Field[] display = [new("name", Kind.Display), new("description", Kind.Display)];
        Field[] IpField(string path) =>
        [
            new(path, Kind.Text, [Str("a leading zero", "198.18.050.9"), Str("a scope id", "fe80::1%eth0"), Str("a bare number", "1"), Str("a prefix", "198.18.50.9/24"), Str("a host name", "localhost")]),
        ];

        yield return new("projects", "project", "projects", Bodies.Project("hostile"), $"projects/{w.Project.Id}", Bodies.Project("tenant"), display);

        yield return new("tokens", "token", "tokens", Bodies.Token(w.Project.Id, w.Now), $"tokens/{w.Token.Id}", Bodies.Token(w.Project.Id, w.Now),
        [
            new("name", Kind.Display), new("role", Kind.Enum), new("projectId", Kind.Id), new("expiresAt", Kind.Date),
        ]);

        yield return new("clusters", "cluster", "clusters", Bodies.Cluster(w.SpareRouterId), $"clusters/{w.Cluster.Id}", Bodies.Cluster(w.Cluster.Vrrp.VirtualRouterId!.Value),
        [
            .. display, new("vrrp", Kind.Object),
            new("vrrp.virtualRouterId", Kind.Int, [Raw("0", "0"), Raw("256", "256"), Raw("null", "null")]),
            new("vrrp.advertIntervalMs", Kind.Int, [Raw("15", "15"), Raw("0", "0"), Raw("40960", "40960")]),
            new("vrrp.preempt", Kind.Bool), new("vipPools", Kind.Array),
            new("vipPools[0]", Kind.Text,
            [
                Str("prefix 33", "198.18.0.0/33"), Str("a reversed range", "198.18.0.10-198.18.0.5"), Str("a range of two families", "198.18.0.1-2001:db8::1"),
                Str("two blocks in one", "198.18.0.0/24,10.0.0.0/8"),
            ]),
        ]);

        yield return new("join-tokens", "join token", "join-tokens", Bodies.JoinToken(w.Cluster.Id), null, null,
        [
            new("description", Kind.Display), new("clusterId", Kind.Id), new("ttlSeconds", Kind.Int, [Raw("59", "59"), Raw("30 days and a second", "2592001")]),
            new("maxUses", Kind.Int, [Raw("0", "0"), Raw("1001", "1001")]),
        ]);

        yield return new("agent/join", "agent join", "agent/join", Bodies.Join(w.JoinSecret, "198.18.50.9", 50), null, null,
        [
            new("name", Kind.Display), new("versions.agent", Kind.Display), new("versions.haproxy", Kind.Display), new("versions", Kind.Object),
            new("token", Kind.Id, Statuses: [HttpStatusCode.BadRequest, HttpStatusCode.Forbidden]),
            .. IpField("address"), new("interface", Kind.Text, InterfaceExtras), new("priority", Kind.Int, [Raw("0", "0"), Raw("255", "255")]),
        ])
        { Anonymous = true, ResourcePath = created => $"nodes/{created["nodeId"]!.GetValue<string>()}" };

        yield return new("nodes", "node", null, null, $"nodes/{w.NodeId}", Bodies.Node(),
        [
            new("name", Kind.Display), new("interface", Kind.Text, InterfaceExtras), new("priority", Kind.Int, [Raw("0", "0"), Raw("255", "255"), Raw("null", "null")]),
        ]);

        yield return new("load-balancers", "load balancer", "load-balancers", Bodies.LoadBalancer(w.Project.Id, w.Cluster.Id, "198.18.0.20"),
            $"load-balancers/{w.LoadBalancer.Id}", Bodies.LoadBalancer(w.Project.Id, w.Cluster.Id, w.LoadBalancer.Vip),
        [
            .. display, new("projectId", Kind.Id), new("clusterId", Kind.Id),
            new("vip", Kind.Text,
            [
                Str("outside the VIP pools", "198.19.0.20"), Str("a leading zero", "198.18.0.020"), Str("hex", "0x7f.0.0.1"),
                Str("a prefix", "198.18.0.20/24"), Str("a port", "198.18.0.20:80"), Str("a scope id", "fe80::1%eth0"),
            ]),
            new("vipPrefixLength", Kind.Int, [Raw("0", "0"), Raw("33", "33")]), new("enabled", Kind.Bool),
        ]);

        yield return new("backend-groups", "backend group", "backend-groups", Bodies.Group(w.LoadBalancer.Id), $"backend-groups/{w.Group.Id}", Bodies.Group(w.LoadBalancer.Id),
            [.. display, new("loadBalancerId", Kind.Id)]);

        yield return new("backends", "backend", "backends", Bodies.Backend(w.Group.Id, "198.18.1.20"), $"backends/{w.Backend.Id}", Bodies.Backend(w.Group.Id, w.Backend.Address),
        [
            new("name", Kind.Display), new("backendGroupId", Kind.Id), .. IpField("address"),
            new("port", Kind.Int, [Raw("0", "0"), Raw("65536", "65536"), Raw("null", "null")]), new("weight", Kind.Int, [Raw("257", "257")]),
            new("backup", Kind.Bool), new("adminState", Kind.Enum),
        ]);

        yield return new("listeners", "http listener", "listeners", Bodies.HttpListener(w, 8080), $"listeners/{w.Http.Id}", Bodies.HttpListener(w, w.Http.Port),
        [
            .. display, new("loadBalancerId", Kind.Id), new("protocol", Kind.Enum), new("port", Kind.Int, [Raw("0", "0"), Raw("65536", "65536")]),
            new("defaultBackendGroupId", Kind.Id, [Str("a group of another load balancer", w.OtherGroup.Id), Str("a group of another project", w.ForeignGroup.Id)]),
            new("scheduler", Kind.Enum), new("connectionLimit", Kind.Int, [Raw("0", "0"), Raw("1000001", "1000001")]),
            new("timeouts", Kind.Object), new("timeouts.connectMs", Kind.Int, [Raw("0", "0"), Raw("300001", "300001")]),
            new("healthCheck", Kind.Object), new("healthCheck.type", Kind.Enum, [Str("udp on an http listener", "udp")]),
            new("healthCheck.intervalMs", Kind.Int, [Raw("99", "99")]), new("healthCheck.http", Kind.Object),
            new("healthCheck.http.method", Kind.Text, [Str("lower case", "get"), Str("DELETE", "DELETE"), Str("a request line", "GET /admin HTTP/1.1")]),
            new("healthCheck.http.path", Kind.Text, [Str("relative", "healthz"), Str("a space", "/a b"), Str("a bad escape", "/a%zz"), Str("a backslash", "/a\\b"), Str("a fragment", "/a?b#c")]),
            new("healthCheck.http.host", Kind.Text, [Str("a leading hyphen", "-bad.example.com"), Str("an underscore", "exa_mple.com"), Str("a wildcard", "*.example.com"), Str("an empty label", "a..example.com")]),
            new("healthCheck.http.expectedCodes", Kind.Text, [Str("99", "99"), Str("600", "600"), Str("a reversed range", "299-200"), Str("2xx", "2xx")]),
            new("stickySession", Kind.Object), new("stickySession.type", Kind.Enum),
            new("stickySession.cookieName", Kind.Text, [Str("a space", "SRV ID"), Str("'='", "a=b"), Str("';'", "a;b"), Str("','", "a,b")]),
            new("forwardedHeaders", Kind.Bool), new("acl", Kind.Object), new("acl.mode", Kind.Enum),
            new("acl.aclId", Kind.Id, [Str("an ACL of another project", w.ForeignAcl.Id)]), new("proxyProtocol", Kind.Enum),
        ]);

        yield return new("listeners", "https listener", "listeners", Bodies.HttpsListener(w, 8443), $"listeners/{w.Https.Id}", Bodies.HttpsListener(w, w.Https.Port),
        [
            new("tls", Kind.Object), new("tls.certificateId", Kind.Id, [Str("a certificate of another project", w.ForeignCertificate.Id)]),
            new("tls.sniCertificateIds", Kind.Array), new("tls.sniCertificateIds[0]", Kind.Id, [Str("a certificate of another project", w.ForeignCertificate.Id)]),
            new("tls.minVersion", Kind.Enum, [Str("TLSv1.4", "TLSv1.4"), Str("SSLv3", "SSLv3"), Str("a cipher list after it", "TLSv1.2\n  ssl-default-bind-ciphers ALL")]),
            new("http2", Kind.Bool),
        ]);

        yield return new("listeners", "udp listener", "listeners", Bodies.UdpListener(w, 5353), $"listeners/{w.Udp.Id}", Bodies.UdpListener(w, w.Udp.Port),
            [new("healthCheck.udp", Kind.Object), new("healthCheck.udp.send", Kind.Payload), new("healthCheck.udp.expect", Kind.Payload)]);

        yield return new("rules", "forward rule", "rules", Bodies.ForwardRule(w), $"rules/{w.Forward.Id}", Bodies.ForwardRule(w),
        [
            .. display, new("listenerId", Kind.Id), new("position", Kind.Int, [Raw("100001", "100001")]), new("match", Kind.Object),
            new("match.host", Kind.Text, [Str("two wildcards", "*.*.example.com"), Str("a space", "exa mple.com"), Str("a trailing dot", "example.com."), Str("a bare wildcard", "*")]),
            new("match.path", Kind.Text, [Str("relative", "api"), Str("a query", "/a?b"), Str("a space", "/a b")]),
            new("match.pathMatch", Kind.Enum), new("action", Kind.Object), new("action.type", Kind.Enum),
            new("action.backendGroupId", Kind.Id, [Str("a group of another load balancer", w.OtherGroup.Id), Str("a group of another project", w.ForeignGroup.Id)]),
        ]);

        yield return new("rules", "redirect rule", "rules", Bodies.RedirectRule(w), $"rules/{w.Redirect.Id}", Bodies.RedirectRule(w),
        [
            new("action.redirect", Kind.Object), new("action.redirect.scheme", Kind.Enum),
            new("action.redirect.host", Kind.Text, [Str("a space", "exa mple.com"), Str("a wildcard", "*.example.com")]),
            new("action.redirect.port", Kind.Int, [Raw("0", "0"), Raw("65536", "65536")]),
            new("action.redirect.path", Kind.Text, [Str("relative", "new"), Str("a query", "/a?b")]),
            new("action.redirect.code", Kind.Int, [Raw("300", "300"), Raw("200", "200"), Raw("304", "304")]),
        ]);

        yield return new("rules", "reject rule", "rules", Bodies.RejectRule(w), $"rules/{w.Reject.Id}", Bodies.RejectRule(w),
        [
            new("listenerId", Kind.Id, [Str("a udp listener", w.Udp.Id)]),
            new("action.statusCode", Kind.Int, [Raw("200", "200"), Raw("302", "302"), Raw("418", "418"), Raw("600", "600")]),
        ]);

        string[] pair = ["certificatePem", "privateKeyPem"];
        yield return new("certificates", "certificate", "certificates", Bodies.Certificate(w.Project.Id, pem), $"certificates/{w.Certificate.Id}", Bodies.Certificate(w.Project.Id, pem),
        [
            .. display, new("projectId", Kind.Id),
            new("certificatePem", Kind.Pem,
            [
                Str("a private key", pem.PrivateKeyPem), Str("an expired certificate", s_expiredPem!.CertificatePem), Str("another key's certificate", s_otherPem!.CertificatePem),
            ])
            { AlsoNamed = pair },
            new("privateKeyPem", Kind.Pem,
            [
                Str("the public key", pem.PublicKeyPem), Str("another key", s_otherPem.PrivateKeyPem), Str("the certificate", pem.CertificatePem),
                Str("an encrypted key", pem.PrivateKeyPem.Replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", StringComparison.Ordinal)),
            ])
            { AlsoNamed = pair },
        ]);

        yield return new("acls", "ACL", "acls", Bodies.Acl(w.Project.Id), $"acls/{w.Acl.Id}", Bodies.Acl(w.Project.Id),
        [
            .. display, new("projectId", Kind.Id), new("entries", Kind.Array), new("entries[0]", Kind.Object), new("entries[0].comment", Kind.Display),
            new("entries[0].cidr", Kind.Text,
            [
                Str("prefix 33", "198.51.100.0/33"), Str("a leading zero in the prefix", "198.51.100.0/024"), Str("an empty prefix", "198.51.100.0/"),
                Str("a comment after it", "198.51.100.0/24 # office"), Str("prefix 129", "2001:db8::/129"),
            ]),
        ]);
    }

    private static Hostile[] InterfaceExtras =>
        [Str("an alias", "eth0:1"), Str("a slash", "eth0/1"), Str("16 characters", "sixteen-chars-xx"), Str("'..'", ".."), Str("a space", "eth 0")];

    /// <summary>The world every case starts from, built with the same bodies the cases mutate, which proves them valid.</summary>
    private async Task<World> WorldAsync(ApiClient admin, ApiClient anonymous)
    {
        var now = factory.Time.GetUtcNow();
        s_pem ??= TestCertificates.SelfSigned(now);
        s_otherPem ??= TestCertificates.Create("other.example.com", now);
        s_expiredPem ??= TestCertificates.Create("expired.example.com", now, validFrom: TimeSpan.FromDays(-60), validFor: TimeSpan.FromDays(30));

        var seed = new Seed(admin);
        var project = await admin.CreateAsync<ProjectResponse>("projects", Bodies.Project("tenant"));
        var foreign = await seed.ProjectAsync("foreign");
        var cluster = await admin.CreateAsync<ClusterResponse>("clusters", Bodies.Cluster(Seed.NextRouterId()));
        var certificate = await admin.CreateAsync<CertificateResponse>("certificates", Bodies.Certificate(project.Id, s_pem));
        var sni = await admin.CreateAsync<CertificateResponse>("certificates", Bodies.Certificate(project.Id, s_pem));
        var acl = await admin.CreateAsync<AclResponse>("acls", Bodies.Acl(project.Id));
        var lb = await admin.CreateAsync<LoadBalancerResponse>("load-balancers", Bodies.LoadBalancer(project.Id, cluster.Id, "198.18.0.10"));
        var group = await admin.CreateAsync<BackendGroupResponse>("backend-groups", Bodies.Group(lb.Id));
        var backend = await admin.CreateAsync<BackendResponse>("backends", Bodies.Backend(group.Id, "198.18.1.10"));
        var otherLb = await admin.CreateAsync<LoadBalancerResponse>("load-balancers", Bodies.LoadBalancer(project.Id, cluster.Id, "198.18.0.11"));
        var otherGroup = await seed.BackendGroupAsync(otherLb);
        var foreignLb = await admin.CreateAsync<LoadBalancerResponse>("load-balancers", Bodies.LoadBalancer(foreign.Id, cluster.Id, "198.18.0.12"));
        var foreignGroup = await seed.BackendGroupAsync(foreignLb);
        var foreignCertificate = await admin.CreateAsync<CertificateResponse>("certificates", Bodies.Certificate(foreign.Id, s_pem));
        var foreignAcl = await seed.AclAsync(foreign, "203.0.113.0/24");
        var token = await admin.CreateAsync<TokenResponse>("tokens", Bodies.Token(project.Id, now));
        // Every accepted hostile join spends a use of the world's join token.
        var joinTokenBody = Bodies.JoinToken(cluster.Id);
        joinTokenBody["maxUses"] = JoinTokenRequest.MostUses;
        var joinToken = await admin.CreateAsync<JoinTokenResponse>("join-tokens", joinTokenBody);
        var node = await (await anonymous.PostAsync("agent/join", Bodies.Join(joinToken.Secret!, "198.18.50.1", null))).ReadAsync<AgentJoinResponse>(HttpStatusCode.Created);

        var world = new World(now, project, cluster, Seed.NextRouterId(), certificate, sni, acl, lb, group, backend, otherGroup, foreignGroup, foreignCertificate, foreignAcl, token, joinToken.Secret!, node.NodeId);
        world.Http = await admin.CreateAsync<ListenerResponse>("listeners", Bodies.HttpListener(world, 80));
        world.Https = await admin.CreateAsync<ListenerResponse>("listeners", Bodies.HttpsListener(world, 443));
        world.Udp = await admin.CreateAsync<ListenerResponse>("listeners", Bodies.UdpListener(world, 53));
        world.Forward = await admin.CreateAsync<RuleResponse>("rules", Bodies.ForwardRule(world));
        world.Redirect = await admin.CreateAsync<RuleResponse>("rules", Bodies.RedirectRule(world));
        world.Reject = await admin.CreateAsync<RuleResponse>("rules", Bodies.RejectRule(world));
        return world;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, byte[] body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, "/api/v1/" + path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        _sent++;
        return await http.SendAsync(request);
    }

    /// <summary>
    /// A refusal is one of the expected statuses as problem details; a 400 also lists the bad fields under
    /// <c>errors</c>, one of which must be the mutated field, a field inside it or the object holding it.
    /// </summary>
    private static async Task CheckRefusedAsync(HttpResponseMessage response, string context, HttpStatusCode[] expected, string? field, List<string> failures, string[]? alsoNamed = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!expected.Contains(response.StatusCode))
        {
            failures.Add($"{context}: expected {string.Join(" or ", expected.Select(s => (int)s))}, got {(int)response.StatusCode}: {Shorten(body)}");
            return;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"{context}: {(int)response.StatusCode} answered as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, not application/problem+json");
            return;
        }

        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return;
        }

        if (JsonNode.Parse(body)?["errors"] is not JsonObject errors || errors.Count == 0)
        {
            failures.Add($"{context}: the 400 has no errors object: {Shorten(body)}");
            return;
        }

        string[] names = field is null ? [] : [field, .. alsoNamed ?? []];
        if (names.Length > 0 && !errors.Any(error => names.Any(name => Names(error.Key, name))))
        {
            failures.Add($"{context}: the 400 names {string.Join(", ", errors.Select(e => e.Key))} but not {field}");
        }
    }

    private static bool Names(string key, string field) =>
        key == field
        || key.StartsWith(field + ".", StringComparison.Ordinal) || key.StartsWith(field + "[", StringComparison.Ordinal)
        || field.StartsWith(key + ".", StringComparison.Ordinal) || field.StartsWith(key + "[", StringComparison.Ordinal);

    private static byte[] Mutate(JsonObject valid, string path, string hostileJson)
    {
        var body = valid.DeepClone();
        JsonPath.Set(body, path, JsonValue.Create(Marker));
        return Encoding.UTF8.GetBytes(body.ToJsonString().Replace($"\"{Marker}\"", hostileJson, StringComparison.Ordinal));
    }

    /// <summary>The body with its first string field holding <paramref name="content"/> as raw bytes, valid UTF-8 or not.</summary>
    private static byte[] WithRawString(JsonObject valid, byte[] content)
    {
        var body = valid.DeepClone().AsObject();
        body[body.First(p => p.Value?.GetValueKind() == JsonValueKind.String).Key] = Marker;
        var parts = body.ToJsonString().Split($"\"{Marker}\"");
        return [.. Encoding.UTF8.GetBytes(parts[0] + "\""), .. content, .. Encoding.UTF8.GetBytes("\"" + parts[1])];
    }

    private static string WithUnknownField(string objectJson)
    {
        var json = JsonNode.Parse(objectJson)!.AsObject();
        json["bind"] = "*:80";
        return json.ToJsonString();
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject json => json.SelectMany(p => Strings(p.Value)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };

    private static Hostile Str(string label, string value) => new(label, JsonSerializer.Serialize(value));

    private static Hostile Raw(string label, string json) => new(label, json);

    /// <summary>A JSON string ending in the escape of an unpaired high surrogate, which no .NET string can hold.</summary>
    private static Hostile LoneSurrogate(string prefix) => new("a lone surrogate escape", JsonSerializer.Serialize(prefix)[..^1] + "\\ud800\"");

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;

    private enum Kind
    {
        /// <summary>A server-made id naming another resource.</summary>
        Id,

        /// <summary>A value with a strict grammar that reaches data-plane configuration.</summary>
        Text,

        /// <summary>Free text that never leaves the control plane: names, descriptions, comments, reported versions.</summary>
        Display,

        /// <summary>Free printable text sent as data to backends (udp health check payloads).</summary>
        Payload,
        Int,
        Bool,
        Enum,
        Object,
        Array,
        Date,
        Pem,
    }

    private sealed record Hostile(string Label, string Json);

    private sealed record RawBody(string Label, Func<JsonObject, byte[]> Bytes, string? ContentType, HttpStatusCode Status)
    {
        public static RawBody Json(string label, Func<string, string> text) =>
            new(label, body => Encoding.UTF8.GetBytes(text(body.ToJsonString())), "application/json", HttpStatusCode.BadRequest);
    }

    private sealed record Field(string Path, Kind Kind, Hostile[]? Extra = null, HttpStatusCode[]? Statuses = null)
    {
        public string[]? AlsoNamed { get; init; }
    }

    private sealed record Write(HttpMethod Method, string Path, JsonObject Body);

    private sealed record Shape(string Endpoint, string Label, string? CreatePath, JsonObject? CreateBody, string? UpdatePath, JsonObject? UpdateBody, Field[] Fields)
    {
        public bool Anonymous { get; init; }

        /// <summary>Where a created resource is read back, from the answer that created it.</summary>
        public Func<JsonNode, string> ResourcePath { get; init; } = created => $"{CreatePath}/{created["id"]!.GetValue<string>()}";

        public IEnumerable<Write> Writes()
        {
            if (CreatePath is not null)
            {
                yield return new Write(HttpMethod.Post, CreatePath, CreateBody!);
            }

            if (UpdatePath is not null)
            {
                yield return new Write(HttpMethod.Put, UpdatePath, UpdateBody!);
            }
        }
    }

    private sealed record World(
        DateTimeOffset Now,
        ProjectResponse Project,
        ClusterResponse Cluster,
        int SpareRouterId,
        CertificateResponse Certificate,
        CertificateResponse SniCertificate,
        AclResponse Acl,
        LoadBalancerResponse LoadBalancer,
        BackendGroupResponse Group,
        BackendResponse Backend,
        BackendGroupResponse OtherGroup,
        BackendGroupResponse ForeignGroup,
        CertificateResponse ForeignCertificate,
        AclResponse ForeignAcl,
        TokenResponse Token,
        string JoinSecret,
        string NodeId)
    {
        public ListenerResponse Http { get; set; } = null!;

        public ListenerResponse Https { get; set; } = null!;

        public ListenerResponse Udp { get; set; } = null!;

        public RuleResponse Forward { get; set; } = null!;

        public RuleResponse Redirect { get; set; } = null!;

        public RuleResponse Reject { get; set; } = null!;
    }

    /// <summary>Valid request bodies, each using every field its endpoint has.</summary>
    private static class Bodies
    {
        public static JsonObject Project(string name) => new() { ["name"] = name, ["description"] = "a project" };

        public static JsonObject Token(string projectId, DateTimeOffset now) => new()
        {
            ["name"] = "ci",
            ["role"] = "viewer",
            ["projectId"] = projectId,
            ["expiresAt"] = now.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };

        public static JsonObject Cluster(int routerId) => new()
        {
            ["name"] = "edge",
            ["description"] = "a cluster",
            ["vrrp"] = new JsonObject { ["virtualRouterId"] = routerId, ["advertIntervalMs"] = 100, ["preempt"] = false, ["unicast"] = true },
            ["vipPools"] = new JsonArray("198.18.0.0/24", "2001:db8:f::/64"),
        };

        public static JsonObject JoinToken(string clusterId) => new() { ["clusterId"] = clusterId, ["description"] = "rack 4", ["ttlSeconds"] = 3600 };

        public static JsonObject Join(string token, string address, int? priority) => new()
        {
            ["token"] = token,
            ["name"] = "lb-node",
            ["address"] = address,
            ["interface"] = "eth0",
            ["priority"] = priority,
            ["versions"] = new JsonObject { ["agent"] = "1.0.0", ["haproxy"] = "2.8.5", ["nginx"] = "1.24.0", ["keepalived"] = "2.2.8" },
        };

        public static JsonObject Node() => new() { ["name"] = "lb-node", ["interface"] = "eth1", ["priority"] = 100 };

        public static JsonObject LoadBalancer(string projectId, string clusterId, string vip) => new()
        {
            ["projectId"] = projectId,
            ["clusterId"] = clusterId,
            ["name"] = "shop",
            ["description"] = "a load balancer",
            ["vip"] = vip,
            ["vipPrefixLength"] = 32,
            ["enabled"] = true,
        };

        public static JsonObject Group(string lbId) => new() { ["loadBalancerId"] = lbId, ["name"] = "web", ["description"] = "a group" };

        public static JsonObject Backend(string groupId, string address) => new()
        {
            ["backendGroupId"] = groupId,
            ["name"] = "web-1",
            ["address"] = address,
            ["port"] = 8080,
            ["weight"] = 10,
            ["backup"] = false,
            ["adminState"] = "enabled",
        };

        public static JsonObject HttpListener(World w, int port) => new()
        {
            ["loadBalancerId"] = w.LoadBalancer.Id,
            ["name"] = "web",
            ["description"] = "a listener",
            ["protocol"] = "http",
            ["port"] = port,
            ["defaultBackendGroupId"] = w.Group.Id,
            ["scheduler"] = "roundRobin",
            ["connectionLimit"] = 1000,
            ["timeouts"] = new JsonObject { ["connectMs"] = 5000, ["clientMs"] = 50000, ["serverMs"] = 50000 },
            ["healthCheck"] = new JsonObject
            {
                ["type"] = "http",
                ["intervalMs"] = 2000,
                ["timeoutMs"] = 1000,
                ["rise"] = 2,
                ["fall"] = 3,
                ["http"] = new JsonObject { ["method"] = "GET", ["path"] = "/healthz", ["host"] = "example.com", ["expectedCodes"] = "200-299" },
            },
            ["stickySession"] = new JsonObject { ["type"] = "cookieInsert", ["cookieName"] = "SRV", ["timeoutMs"] = 60000 },
            ["forwardedHeaders"] = true,
            ["gzip"] = true,
            ["redirectToHttps"] = false,
            ["acl"] = new JsonObject { ["mode"] = "allow", ["aclId"] = w.Acl.Id },
            ["proxyProtocol"] = "none",
            ["enabled"] = true,
        };

        public static JsonObject HttpsListener(World w, int port) => new()
        {
            ["loadBalancerId"] = w.LoadBalancer.Id,
            ["name"] = "secure",
            ["protocol"] = "https",
            ["port"] = port,
            ["defaultBackendGroupId"] = w.Group.Id,
            ["tls"] = new JsonObject { ["certificateId"] = w.Certificate.Id, ["sniCertificateIds"] = new JsonArray(w.SniCertificate.Id), ["minVersion"] = "TLSv1.2" },
            ["http2"] = true,
        };

        public static JsonObject UdpListener(World w, int port) => new()
        {
            ["loadBalancerId"] = w.LoadBalancer.Id,
            ["name"] = "dns",
            ["protocol"] = "udp",
            ["port"] = port,
            ["defaultBackendGroupId"] = w.Group.Id,
            ["scheduler"] = "sourceIp",
            ["healthCheck"] = new JsonObject { ["type"] = "udp", ["intervalMs"] = 2000, ["udp"] = new JsonObject { ["send"] = "ping", ["expect"] = "pong" } },
        };

        public static JsonObject ForwardRule(World w) => new()
        {
            ["listenerId"] = w.Http.Id,
            ["name"] = "api",
            ["description"] = "a rule",
            ["position"] = 10,
            ["match"] = new JsonObject { ["host"] = "*.example.com", ["path"] = "/api", ["pathMatch"] = "prefix" },
            ["action"] = new JsonObject { ["type"] = "forward", ["backendGroupId"] = w.Group.Id },
            ["enabled"] = true,
        };

        public static JsonObject RedirectRule(World w) => new()
        {
            ["listenerId"] = w.Http.Id,
            ["name"] = "moved",
            ["match"] = new JsonObject { ["path"] = "/old", ["pathMatch"] = "exact" },
            ["action"] = new JsonObject
            {
                ["type"] = "redirect",
                ["redirect"] = new JsonObject { ["scheme"] = "https", ["host"] = "www.example.com", ["port"] = 443, ["path"] = "/new", ["code"] = 301 },
            },
        };

        public static JsonObject RejectRule(World w) => new()
        {
            ["listenerId"] = w.Http.Id,
            ["name"] = "blocked",
            ["match"] = new JsonObject { ["host"] = "bad.example.com" },
            ["action"] = new JsonObject { ["type"] = "reject", ["statusCode"] = 403 },
        };

        public static JsonObject Certificate(string projectId, TestCertificate pem) => new()
        {
            ["projectId"] = projectId,
            ["name"] = "wildcard",
            ["description"] = "a certificate",
            ["certificatePem"] = pem.CertificatePem,
            ["privateKeyPem"] = pem.PrivateKeyPem,
        };

        public static JsonObject Acl(string projectId) => new()
        {
            ["projectId"] = projectId,
            ["name"] = "office",
            ["description"] = "an ACL",
            ["entries"] = new JsonArray(new JsonObject { ["cidr"] = "198.51.100.0/24", ["comment"] = "office" }, new JsonObject { ["cidr"] = "2001:db8::/32" }),
        };
    }

    /// <summary>Reads and writes a field by its path in a JSON body: <c>healthCheck.http.path</c>, <c>entries[0].cidr</c>.</summary>
    private static class JsonPath
    {
        public static JsonNode? Get(JsonNode root, string path)
        {
            JsonNode? node = root;
            foreach (var segment in Segments(path))
            {
                node = segment switch
                {
                    int index => node is JsonArray array && index < array.Count ? array[index] : null,
                    string name => node is JsonObject json && json.TryGetPropertyValue(name, out var child) ? child : null,
                    _ => null,
                };
            }

            return node;
        }

        public static void Set(JsonNode root, string path, JsonNode? value)
        {
            var segments = Segments(path).ToList();
            var parent = root;
            foreach (var segment in segments[..^1])
            {
                parent = segment is int index ? parent.AsArray()[index]! : parent.AsObject()[(string)segment]!;
            }

            if (segments[^1] is int last)
            {
                parent.AsArray()[last] = value;
            }
            else
            {
                parent.AsObject()[(string)segments[^1]] = value;
            }
        }

        private static IEnumerable<object> Segments(string path)
        {
            foreach (var part in path.Split('.'))
            {
                var bracket = part.IndexOf('[', StringComparison.Ordinal);
                yield return bracket < 0 ? part : part[..bracket];
                if (bracket >= 0)
                {
                    yield return int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture);
                }
            }
        }
    }
}
