using System.CommandLine;
using System.Net;
using Fulcrum.Lab;
using Fulcrum.Lab.Backends;

var name = new Option<string>("--name") { Required = true, Description = "The name the backend answers with." };
var address = new Option<string>("--address") { DefaultValueFactory = _ => "0.0.0.0" };
var http = new Option<int?>("--http") { Description = "Serve HTTP on this port." };
var tcp = new Option<int?>("--tcp") { Description = "Greet and echo TCP on this port." };
var udp = new Option<int?>("--udp") { Description = "Answer UDP on this port." };
var proxyProtocol = new Option<bool>("--proxy-protocol") { Description = "Expect a PROXY protocol header (v1 or v2) on the TCP port and greet with the client address it carries and the header's version." };
var serve = new Command("serve", "Run a sample backend (HTTP, TCP echo, UDP echo) that answers with its name.") { name, address, http, tcp, udp, proxyProtocol };
serve.SetAction(async (result, ct) =>
{
    await SampleBackend.RunAsync(result.GetValue(name)!, IPAddress.Parse(result.GetValue(address)!), result.GetValue(http), result.GetValue(tcp), result.GetValue(udp), result.GetValue(proxyProtocol), ct);
    return 0;
});

var serverDll = new Option<string>("--server-dll") { Required = true, Description = "The built fulcrum-server.dll." };
var agentDll = new Option<string>("--agent-dll") { Required = true, Description = "The built fulcrum-agent.dll." };
var adminToken = new Option<string?>("--admin-token") { Description = "The control plane's admin token (default: FULCRUM_ADMIN_TOKEN, else a new one)." };
var publicUrl = new Option<string>("--public-url") { DefaultValueFactory = _ => "https://127.0.0.1:8080", Description = "Where the control plane also listens on the host." };
var demo = new Command("demo", "Bring up a two-node demo cluster with sample backends; Ctrl-C tears it down.") { serverDll, agentDll, adminToken, publicUrl };
demo.SetAction((result, ct) =>
{
    var server = Path.GetFullPath(result.GetValue(serverDll)!);
    var programs = new LabPrograms(server, Path.GetFullPath(result.GetValue(agentDll)!), typeof(Demo).Assembly.Location);
    return Demo.RunAsync(programs, result.GetValue(adminToken) ?? Environment.GetEnvironmentVariable("FULCRUM_ADMIN_TOKEN"), result.GetValue(publicUrl)!, Console.Out, ct);
});

var root = new RootCommand("fulcrum-lab: the lab's sample backends and the demo.") { serve, demo };
// The lab's tear-down (processes, namespaces, links) takes longer than the 2 s System.CommandLine gives by default
// between Ctrl-C or SIGTERM and a forced exit.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
