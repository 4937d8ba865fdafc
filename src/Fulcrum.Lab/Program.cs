using System.CommandLine;
using System.Net;
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

var root = new RootCommand("fulcrum-lab: the lab's sample backends and the demo.") { serve };
return await root.Parse(args).InvokeAsync();
