using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Processes;
using Fulcrum.Dataplane;

namespace Fulcrum.Agent.Tests.Apply;

/// <summary>One load balancer refused by a tool: found, reported on its own, and every other one still served as desired.</summary>
public sealed class IsolationTests : IDisposable
{
    private readonly TestNode _node = new();

    private string ServedHaproxy => File.ReadAllText(Path.Combine(_node.Current, RenderedConfig.HaproxyConfig));

    [Fact]
    public async Task ApplyAsync_OneNewLoadBalancerRefusedByTheValidator_OnlyItIsReported_EveryOtherOneServed()
    {
        _node.Dataplane.RefuseHaproxyConfigWith = "lsn-c-81";

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(1, ("a", [80]), ("b", [80]), ("c", [80, 81]), ("d", [80]), ("e", [443])), CancellationToken.None);

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        Assert.Equal(1, _node.Applier.AppliedRevision);
        Assert.Null(_node.Applier.LastError);
        var error = Assert.Single(_node.Applier.LoadBalancerErrors);
        Assert.Equal(("lb-c", 1L), (error.LoadBalancerId, error.Revision));
        Assert.Contains("lsn-c-81", error.Error, StringComparison.Ordinal);
        foreach (var listener in new[] { "lsn-a-80", "lsn-b-80", "lsn-d-80", "lsn-e-443" })
        {
            Assert.Contains(listener, ServedHaproxy, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("lsn-c-", ServedHaproxy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_ALoadBalancerWithALastGoodVersionRefused_ServedAtThatVersion_ItsChangeKeptOut()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, ("a", [80]), ("b", [80])), CancellationToken.None);
        _node.Dataplane.RefuseHaproxyConfigWith = "lsn-b-81";

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, ("a", [80, 8080]), ("b", [80, 81])), CancellationToken.None);

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        Assert.Equal("lb-b", Assert.Single(_node.Applier.LoadBalancerErrors).LoadBalancerId);
        Assert.Contains("lsn-a-8080", ServedHaproxy, StringComparison.Ordinal);
        Assert.Contains("lsn-b-80", ServedHaproxy, StringComparison.Ordinal);
        Assert.DoesNotContain("lsn-b-81", ServedHaproxy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_TheCulpritFixedInANewRevision_ServedAgain_NothingReported()
    {
        _node.Dataplane.RefuseHaproxyConfigWith = "lsn-b-81";
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, ("a", [80]), ("b", [81])), CancellationToken.None);

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, ("a", [80]), ("b", [82])), CancellationToken.None);

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        Assert.Empty(_node.Applier.LoadBalancerErrors);
        Assert.Contains("lsn-b-82", ServedHaproxy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_AnUnchangedCulpritInTheNextRevision_KeptOutAtOnce_WithoutBisectingAgain()
    {
        _node.Dataplane.RefuseHaproxyConfigWith = "lsn-b-81";
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, ("a", [80]), ("b", [81]), ("c", [80])), CancellationToken.None);
        var validated = _node.Dataplane.Validated;

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, ("a", [80, 8080]), ("b", [81]), ("c", [80])), CancellationToken.None);

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        Assert.Equal(validated + 1, _node.Dataplane.Validated);
        var error = Assert.Single(_node.Applier.LoadBalancerErrors);
        Assert.Equal(("lb-b", 1L), (error.LoadBalancerId, error.Revision));
        Assert.Contains("lsn-a-8080", ServedHaproxy, StringComparison.Ordinal);
        Assert.Equal(2, _node.Applier.AppliedRevision);
    }

    /// <summary>A reload refusing what the validators accepted (a port another process holds) is isolated the same way.</summary>
    [Fact]
    public async Task ApplyAsync_AReloadRefusesTheRevision_TheLoadBalancerItNamesIsFound()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, ("a", [80])), CancellationToken.None);
        var reloads = 0;
        _node.Dataplane.OnApply = generation =>
        {
            reloads++;
            return File.ReadAllText(Path.Combine(generation, RenderedConfig.HaproxyConfig)).Contains("lsn-b-22", StringComparison.Ordinal)
                ? new DataplaneException("haproxy refused the reload; the previous workers keep serving.\n[ALERT] Starting frontend lsn-b-22: cannot bind socket (Address already in use)")
                : null;
        };

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, ("a", [80]), ("b", [22]), ("c", [80])), CancellationToken.None);

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        Assert.Contains("Address already in use", Assert.Single(_node.Applier.LoadBalancerErrors).Error, StringComparison.Ordinal);
        Assert.Contains("lsn-c-80", ServedHaproxy, StringComparison.Ordinal);
        Assert.DoesNotContain("lsn-b-22", ServedHaproxy, StringComparison.Ordinal);
        Assert.True(reloads > 2);
    }

    [Fact]
    public async Task ApplyAsync_ATransientFailureWhileIsolating_Failed_NothingReportedAsTheLoadBalancersFault()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, ("a", [80])), CancellationToken.None);
        _node.Dataplane.Validations("haproxy: refused");
        _node.Dataplane.Applies(new IOException("haproxy's master CLI does not answer."));

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, ("a", [80]), ("b", [80])), CancellationToken.None);

        Assert.Equal(ApplyResult.Failed, outcome.Result);
        Assert.Empty(_node.Applier.LoadBalancerErrors);
        Assert.Equal(1, _node.Applier.AppliedRevision);
    }

    public void Dispose() => _node.Dispose();
}
