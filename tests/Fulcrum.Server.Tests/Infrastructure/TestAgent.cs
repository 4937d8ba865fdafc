using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.Agent;
using Microsoft.Extensions.DependencyInjection;

namespace Fulcrum.Server.Tests.Infrastructure;

/// <summary>A node's agent as the server sees it: enrolled with a join token, then calling with its node credential.</summary>
public sealed class TestAgent(ApiClient client, AgentJoinResponse joined) : IDisposable
{
    /// <summary>Longer than any answer can take, shorter than the waits the tests ask for: a hang fails the test.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public string NodeId => joined.NodeId;

    public string Credential => joined.Credential;

    public ApiClient Client => client;

    public static async Task<TestAgent> JoinAsync(FulcrumFactory factory, ApiClient admin, string clusterId, string address)
    {
        var token = await admin.CreateAsync<JoinTokenResponse>("join-tokens", new { clusterId });
        using var anonymous = new ApiClient(factory.CreateClient(token: null));
        var joined = await (await anonymous.PostAsync("agent/join", new { token = token.Secret, address, @interface = "eth0" }))
            .ReadAsync<AgentJoinResponse>(HttpStatusCode.Created);
        return new TestAgent(factory.As(joined.Credential), joined);
    }

    /// <summary>A report as an agent sends it; nothing failed, no backends, no listeners unless given.</summary>
    public static NodeReport Report(
        long applied,
        VrrpState state = VrrpState.Backup,
        long? failedRevision = null,
        string? error = null,
        IReadOnlyList<BackendHealthReport>? backends = null,
        IReadOnlyList<ListenerCounters>? listeners = null) =>
        new(applied, error ?? (failedRevision is null ? null : "haproxy -c: parsing error"), failedRevision, state,
            new NodeVersions("0.1.0", "2.6.12", "1.22.1", "2.2.7"), backends ?? [], listeners ?? []);

    public Task<HttpResponseMessage> HeartbeatAsync(NodeReport report) => client.PostAsync("agent/heartbeat", report);

    public async Task<HeartbeatResponse> ReportAsync(NodeReport report) => await (await HeartbeatAsync(report)).ReadAsync<HeartbeatResponse>(HttpStatusCode.OK);

    public Task<HttpResponseMessage> PollAsync(long after, int waitSeconds) => client.GetAsync($"agent/snapshot?after={after}&waitSeconds={waitSeconds}");

    public async Task<ClusterSnapshot> SnapshotAsync(long after) =>
        await (await PollAsync(after, waitSeconds: 0).WaitAsync(Patience)).ReadAsync<ClusterSnapshot>(HttpStatusCode.OK);

    /// <summary>Completes once a long poll of <paramref name="clusterId"/> waits on <paramref name="factory"/>'s replica.</summary>
    public static Task WaitingAsync(FulcrumFactory factory, string clusterId) =>
        factory.Services.GetRequiredService<RevisionWatcher>().WaitingAsync(clusterId).WaitAsync(Patience);

    public void Dispose() => client.Dispose();
}
