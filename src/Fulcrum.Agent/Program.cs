using System.CommandLine;
using Fulcrum.Agent;
using Fulcrum.Agent.AccessLogs;
using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Control;
using Fulcrum.Agent.Enrolment;
using Fulcrum.Agent.Processes;
using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var stateDir = new Option<string>("--state-dir") { Description = "The node's own directory (credential, snapshots, generations).", Required = true };
var runtimeDir = new Option<string?>("--runtime-dir") { Description = "Sockets and pid files of the node's data plane (default: STATE/run)." };

var server = new Option<string>("--server") { Description = "The control plane's URL.", Required = true };
server.Validators.Add(result =>
{
    if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
    {
        result.AddError("--server must be an http or https URL.");
    }
});
var token = new Option<string>("--token") { Description = "A join token from an admin.", Required = true };
var address = new Option<string>("--address") { Description = "This node's own IP address (VRRP peers reach it there).", Required = true };
var networkInterface = new Option<string>("--interface") { Description = "The interface the VIPs go on.", Required = true };
var priority = new Option<int?>("--priority") { Description = "VRRP priority, unique in the cluster (default: the next free one)." };
var name = new Option<string?>("--name") { Description = "A display name (default: the address)." };
var fingerprint = new Option<string?>("--server-fingerprint") { Description = "Pin the control plane's certificate by its SHA-256 fingerprint (the server prints it)." };
fingerprint.Validators.Add(result =>
{
    if (ServerTrust.NormalizeFingerprint(result.GetValueOrDefault<string?>() ?? "") is null)
    {
        result.AddError("--server-fingerprint must be a SHA-256 fingerprint: 64 hex digits, colons allowed.");
    }
});
var caFile = new Option<FileInfo>("--ca-file") { Description = "Trust only certificates issued by this CA (PEM) for the control plane." };
caFile.AcceptExistingOnly();
var insecure = new Option<bool>("--insecure") { Description = "Allow an http:// control plane (labs and tests only: the channel carries private keys)." };
var join = new Command("join", "Trade a join token for a node credential.") { server, fingerprint, caFile, insecure, token, address, networkInterface, priority, name, stateDir, runtimeDir };
join.Validators.Add(result =>
{
    if (result.GetValue(fingerprint) is not null && result.GetValue(caFile) is not null)
    {
        result.AddError("Give --server-fingerprint or --ca-file, not both.");
    }
});
join.SetAction((result, ct) => JoinCommand.RunAsync(
    new Uri(result.GetValue(server)!),
    new ServerTrust(
        result.GetValue(fingerprint) is { } pin ? ServerTrust.NormalizeFingerprint(pin) : null,
        result.GetValue(caFile) is { } ca ? File.ReadAllText(ca.FullName) : null,
        result.GetValue(insecure)),
    result.GetValue(token)!,
    new AgentJoinRequest(null, result.GetValue(name), result.GetValue(address), result.GetValue(networkInterface), result.GetValue(priority), null),
    new StateDirectory(result.GetValue(stateDir)!, result.GetValue(runtimeDir)),
    Console.Out,
    ct));

var haproxy = new Option<string>("--haproxy") { DefaultValueFactory = _ => DataplaneBinaries.Debian.Haproxy };
var nginx = new Option<string>("--nginx") { DefaultValueFactory = _ => DataplaneBinaries.Debian.Nginx };
var keepalived = new Option<string>("--keepalived") { DefaultValueFactory = _ => DataplaneBinaries.Debian.Keepalived };
var nginxModules = new Option<string>("--nginx-modules") { DefaultValueFactory = _ => DataplaneBinaries.Debian.NginxModules };
var nft = new Option<string>("--nft") { DefaultValueFactory = _ => DataplaneBinaries.Debian.Nft };
var heartbeat = new Option<double>("--heartbeat-seconds") { DefaultValueFactory = _ => AgentTimings.Default.HeartbeatInterval.TotalSeconds };
var metricsListen = new Option<string?>("--metrics-listen") { Description = "Serve Prometheus metrics at this loopback address and port, e.g. 127.0.0.1:9464 (default: off)." };
metricsListen.Validators.Add(result =>
{
    if (!AgentMetricsEndpoint.TryParse(result.GetValueOrDefault<string?>() ?? "", out _))
    {
        result.AddError("--metrics-listen must be a loopback address and port, e.g. 127.0.0.1:9464 or [::1]:9464.");
    }
});
var metricsObjects = new Option<int>("--metrics-max-objects")
{
    Description = "Listeners, and backends, with series of their own; the rest are summed into one with the id _other.",
    DefaultValueFactory = _ => AgentMetrics.DefaultObjectSeriesLimit,
};
metricsObjects.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() is < 0 or > 100_000)
    {
        result.AddError("--metrics-max-objects must be between 0 and 100000.");
    }
});
var accessLogSyslog = new Option<string?>("--access-log-syslog") { Description = "Also send every access-log line, as JSON, to this syslog socket (a unix datagram socket such as /dev/log)." };
accessLogSyslog.Validators.Add(result =>
{
    if (result.GetValueOrDefault<string?>() is { } path && !Path.IsPathFullyQualified(path))
    {
        result.AddError("--access-log-syslog must be an absolute path, such as /dev/log.");
    }
});
var run = new Command("run", "Serve the cluster's configuration on this node.") { stateDir, runtimeDir, haproxy, nginx, keepalived, nginxModules, nft, heartbeat, metricsListen, metricsObjects, accessLogSyslog };
run.SetAction(async (result, ct) =>
{
    var state = new StateDirectory(result.GetValue(stateDir)!, result.GetValue(runtimeDir));
    state.Create();
    var credential = StateDirectory.Read<NodeCredential>(state.CredentialFile);
    if (credential is null)
    {
        await Console.Error.WriteLineAsync($"No credential in {state.CredentialFile}: run 'fulcrum-agent join' first.");
        return 2;
    }

    var trust = credential.Trust ?? new ServerTrust();
    if (trust.Refusal(credential.Server) is { } refusal)
    {
        await Console.Error.WriteLineAsync(refusal);
        return 2;
    }

    var binaries = new DataplaneBinaries(result.GetValue(haproxy)!, result.GetValue(nginx)!, result.GetValue(keepalived)!, result.GetValue(nginxModules)!, result.GetValue(nft)!);
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
    builder.Services.AddSingleton(state);
    builder.Services.AddSingleton(credential);
    builder.Services.AddSingleton(binaries);
    builder.Services.AddSingleton(AgentTimings.Default with { HeartbeatInterval = TimeSpan.FromSeconds(result.GetValue(heartbeat)) });
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton<NodeFactsSource>();
    builder.Services.AddSingleton<IDataplane, Fulcrum.Agent.Processes.Dataplane>();
    builder.Services.AddSingleton<HaproxyRuntime>();
    builder.Services.AddSingleton<Applier>();
    builder.Services.AddHttpClient<ServerClient>(http => http.Timeout = TimeSpan.FromSeconds(75)).ConfigurePrimaryHttpMessageHandler(trust.CreateHandler);
    builder.Services.AddSingleton<IUdpCheckTarget>(services => services.GetRequiredService<Applier>());
    builder.Services.AddSingleton<UdpHealthChecks>();
    builder.Services.AddSingleton<ISupervisedProcesses, NodeProcesses>();
    builder.Services.AddSingleton<Supervisor>();
    if (result.GetValue(metricsListen) is { } listen && AgentMetricsEndpoint.TryParse(listen, out var endpoint))
    {
        builder.Services.AddAgentMetrics(endpoint, result.GetValue(metricsObjects));
    }

    builder.Services.AddSingleton<RecentAccessLogs>();
    builder.Services.AddSingleton(new AccessLogOptions(result.GetValue(accessLogSyslog)));
    // Before the agent's loop, which starts haproxy and nginx: their first lines find the socket bound.
    builder.Services.AddHostedService<AccessLogReceiver>();
    builder.Services.AddHostedService<AgentService>();
    builder.Services.AddHostedService(services => services.GetRequiredService<UdpHealthChecks>());
    builder.Services.AddHostedService(services => services.GetRequiredService<Supervisor>());
    await builder.Build().RunAsync(ct);
    return 0;
});

var rotate = new Command("rotate-credential", "Trade this node's credential for a new one; the old one stops working at once.") { stateDir, runtimeDir };
rotate.SetAction(async (result, ct) =>
{
    var state = new StateDirectory(result.GetValue(stateDir)!, result.GetValue(runtimeDir));
    if (StateDirectory.Read<NodeCredential>(state.CredentialFile) is not { } credential)
    {
        await Console.Error.WriteLineAsync($"No credential in {state.CredentialFile}: run 'fulcrum-agent join' first.");
        return 2;
    }

    using var http = new HttpClient((credential.Trust ?? new ServerTrust()).CreateHandler()) { Timeout = TimeSpan.FromSeconds(30) };
    await new ServerClient(http, credential, state).RotateCredentialAsync(ct);
    await Console.Out.WriteLineAsync($"node {credential.NodeId} has a new credential, kept in {state.CredentialFile}; the old one no longer works");
    return 0;
});

var vrrpArguments = new Argument<string[]>("keepalived-arguments") { Description = "What keepalived passes: INSTANCE|GROUP, name, state, priority." };
var notify = new Command("notify", "keepalived's notify hook: record the node's VRRP state.") { stateDir, runtimeDir, vrrpArguments };
notify.SetAction(result =>
{
    var arguments = result.GetValue(vrrpArguments) ?? [];
    VrrpStateFile.Write(new StateDirectory(result.GetValue(stateDir)!, result.GetValue(runtimeDir)), arguments.Length >= 3 ? arguments[2] : "");
    return 0;
});

var root = new RootCommand("fulcrum-agent: makes a Linux host a Fulcrum load balancer node.") { join, run, rotate, notify };
return await root.Parse(args).InvokeAsync();
