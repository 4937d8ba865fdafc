using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;
using Fulcrum.Lab.Network;
using Xunit.Abstractions;

namespace Fulcrum.EndToEnd.Tests;

public sealed class AclLab() : TwoClientLabFixture(subnet: 221);

/// <summary>
/// Source-address ACLs as two clients see them, on an http listener (haproxy) and a udp listener (nginx) that share
/// one ACL: who may connect, and that editing the ACL alone changes that on the running nodes.
/// </summary>
public sealed class AclTests(AclLab fixture, ITestOutputHelper output) : IClassFixture<AclLab>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly LabDeployment _lab = fixture.Lab;

    [Fact]
    public async Task AllowAcl_AdmitsOnlyListedClients_AndAnEditedAclSwapsThemOnTheRunningNodes()
    {
        try
        {
            var acl = await AclAsync("allow-first", fixture.Lab.Client);
            var vip = await LoadBalancerAsync("allow", new { mode = "allow", aclId = acl.Id });
            using var first = new Client(fixture.Client, vip);
            using var second = new Client(fixture.SecondClient, vip);
            await Eventually.TrueAsync(() => first.ServedAsync(), Wait, () => "the allowed client was never served");

            var secondBefore = await second.RefusedAsync();

            await _lab.UpdateAsync<AclResponse>($"acls/{acl.Id}", new { name = acl.Name, entries = new[] { new { cidr = fixture.SecondClientHost.Address + "/32" } } });
            await Eventually.TrueAsync(() => second.ServedAsync(), Wait, () => "the client added to the ACL was never served");
            await Eventually.TrueAsync(() => first.RefusedAsync(), Wait, () => "the client taken off the ACL was still served");
            var firstAfter = await first.RefusedAsync();
            var secondAfter = await second.ServedAsync();

            Assert.True(secondBefore, "a client missing from the allow list was served");
            Assert.True(firstAfter, "a client taken off the allow list was served");
            Assert.True(secondAfter, "a client added to the allow list was refused");
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    [Fact]
    public async Task DenyAcl_RefusesListedClients_AndServesTheOthers()
    {
        try
        {
            var acl = await AclAsync("deny-second", fixture.SecondClientHost);
            var vip = await LoadBalancerAsync("deny", new { mode = "deny", aclId = acl.Id });
            using var first = new Client(fixture.Client, vip);
            using var second = new Client(fixture.SecondClient, vip);
            await Eventually.TrueAsync(() => first.ServedAsync(), Wait, () => "the client missing from the deny list was never served");

            var refused = await second.RefusedAsync();

            Assert.True(refused, "a client on the deny list was served");
        }
        catch
        {
            output.WriteLine(_lab.Network.Logs());
            throw;
        }
    }

    private Task<AclResponse> AclAsync(string name, LabHost host) =>
        _lab.CreateAsync<AclResponse>("acls", new { projectId = _lab.Project.Id, name, entries = new[] { new { cidr = host.Address + "/32" } } });

    /// <summary>An http listener on port 80 and a udp listener on port 53, both behind the ACL; returns the VIP.</summary>
    private async Task<IPAddress> LoadBalancerAsync(string name, object acl)
    {
        var lb = await _lab.CreateLoadBalancerAsync(name);
        var web = await _lab.CreateGroupAsync(lb, "web");
        var dns = await _lab.CreateGroupAsync(lb, "dns");
        await _lab.AddBackendsAsync(web, LabDeployment.BackendHttpPort);
        await _lab.AddBackendsAsync(dns, LabDeployment.BackendUdpPort);
        await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "http", protocol = "http", port = 80, defaultBackendGroupId = web.Id, acl });
        await _lab.CreateAsync<ListenerResponse>("listeners", new { loadBalancerId = lb.Id, name = "dns", protocol = "udp", port = 53, defaultBackendGroupId = dns.Id, acl });
        return IPAddress.Parse(lb.Vip);
    }

    /// <summary>One client host, talking HTTP and UDP to the VIP; every request on a new connection or socket.</summary>
    private sealed class Client(NamespaceSockets sockets, IPAddress vip) : IDisposable
    {
        private readonly HttpClient _http = sockets.PlainHttpClient(TimeSpan.FromSeconds(2));

        /// <summary>Served over both protocols.</summary>
        public async Task<bool> ServedAsync() =>
            await _http.HttpSucceedsAsync($"http://{vip}/") && await UdpAsync() is not null;

        /// <summary>Refused over both protocols: the connection is closed unanswered, the datagram dropped.</summary>
        public async Task<bool> RefusedAsync() =>
            !await _http.HttpSucceedsAsync($"http://{vip}/") && await UdpAsync() is null;

        public void Dispose() => _http.Dispose();

        private Task<string?> UdpAsync() => sockets.UdpExchangeAsync(new IPEndPoint(vip, 53), "query", TimeSpan.FromSeconds(1));
    }
}
