using Fulcrum.Lab;
using Fulcrum.Lab.Network;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>
/// One lab — server, two nodes, three backends, a client and a second client — shared by the tests of one class: it
/// takes seconds to build. Each test makes its own load balancer (its own VIP) and groups, so they do not meet. Every
/// class gets its own subnet, since labs on one subnet would break each other.
/// </summary>
public abstract class TwoClientLabFixture(int subnet) : IAsyncLifetime
{
    public LabDeployment Lab { get; private set; } = null!;

    /// <summary>Sockets in the lab's client namespace.</summary>
    public NamespaceSockets Client { get; private set; } = null!;

    /// <summary>A second client host, with an address of its own.</summary>
    public LabHost SecondClientHost { get; private set; } = null!;

    public NamespaceSockets SecondClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Lab = await LabDeployment.StartAsync(Programs.ForLab, subnet);
        try
        {
            Client = new NamespaceSockets(Lab.Client.Namespace);
            SecondClientHost = await Lab.Network.AddHostAsync("client2");
            SecondClient = new NamespaceSockets(SecondClientHost.Namespace);
            await Eventually.TrueAsync(
                async () => (await Lab.NodesAsync()).All(n => n.Online),
                TimeSpan.FromSeconds(60),
                () => $"the nodes never came online:\n{Lab.Network.Logs()}");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        SecondClient?.Dispose();
        if (Lab is { } lab)
        {
            Lab = null!;
            await lab.DisposeAsync();
        }
    }
}
