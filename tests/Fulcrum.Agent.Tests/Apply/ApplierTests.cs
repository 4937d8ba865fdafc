using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Processes;

namespace Fulcrum.Agent.Tests.Apply;

public sealed class ApplierTests : IDisposable
{
    private readonly TestNode _node = new();

    [Fact]
    public async Task ApplyAsync_AcceptedSnapshot_AppliedAndServed()
    {
        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(1, 80), CancellationToken.None);

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        Assert.Equal(1, _node.Applier.AppliedRevision);
        Assert.Null(_node.Applier.LastError);
        Assert.Equal(_node.Current, Assert.Single(_node.Dataplane.Applied).Generation);
        Assert.Equal(ToolChanges.All, _node.Dataplane.Applied[0].Changes);
    }

    /// <summary>Refused whatever load balancers it holds (the node's own part): no one load balancer's fault.</summary>
    [Fact]
    public async Task ApplyAsync_ValidatorRefusesEveryGeneration_RefusedWithItsMessage_PreviousGenerationServed()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, 80), CancellationToken.None);
        var served = _node.Current;
        _node.Dataplane.RefuseHaproxyConfigWith = "global";

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, 80, 81), CancellationToken.None);

        Assert.Equal(ApplyResult.Refused, outcome.Result);
        Assert.Equal((1L, "haproxy: [ALERT] proxy 'global': cannot load", 2L, false), (_node.Applier.AppliedRevision, _node.Applier.LastError, _node.Applier.LastErrorRevision, _node.Applier.LastErrorRetried));
        Assert.Equal(outcome.Error, _node.Applier.LastError);
        Assert.Empty(_node.Applier.LoadBalancerErrors);
        Assert.Equal(served, _node.Current);
        Assert.Single(_node.Dataplane.Applied);
    }

    /// <summary>haproxy's reload confirmation runs out: the wait's own cancellation, not the agent stopping.</summary>
    [Fact]
    public async Task ApplyAsync_ReloadNotConfirmedInTime_Failed_CurrentBackOnTheServedGeneration()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, 80), CancellationToken.None);
        var served = _node.Current;
        _node.Dataplane.Applies(new OperationCanceledException("The reload was not confirmed in time."));

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, 80, 81), CancellationToken.None);

        Assert.Equal(ApplyResult.Failed, outcome.Result);
        Assert.Equal((1L, 2L, true), (_node.Applier.AppliedRevision, _node.Applier.LastErrorRevision, _node.Applier.LastErrorRetried));
        Assert.Contains("not confirmed", _node.Applier.LastError, StringComparison.Ordinal);
        Assert.Equal(served, _node.Current);
    }

    [Fact]
    public async Task ApplyAsync_MasterNotAnswering_FailedNotRefused()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, 80), CancellationToken.None);
        _node.Dataplane.Applies(new IOException("haproxy's master CLI does not answer."));

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, 80, 81), CancellationToken.None);

        Assert.Equal(ApplyResult.Failed, outcome.Result);
    }

    /// <summary>
    /// haproxy is reloaded first; nginx or keepalived refusing afterwards must not leave haproxy on the new files: every
    /// tool the new generation touched is reloaded again, on the generation served before.
    /// </summary>
    [Fact]
    public async Task ApplyAsync_ALaterToolRefuses_EveryChangedToolReloadedOnTheServedGeneration()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, 80), CancellationToken.None);
        var served = _node.Current;
        _node.Dataplane.Applies(new DataplaneException("keepalived did not start (exit 1)"));

        await _node.Applier.ApplyAsync(TestNode.Snapshot(2, 80, 81), CancellationToken.None);

        var (tried, rolledBack) = (_node.Dataplane.Applied[1], _node.Dataplane.Applied[2]);
        Assert.NotEqual(served, tried.Generation);
        Assert.True(tried.Changes.Haproxy);
        Assert.Equal(tried.Changes, rolledBack.Changes);
        Assert.Equal(served, rolledBack.Generation);
        Assert.False(Directory.Exists(tried.Generation));
        Assert.Contains("keepalived did not start", Assert.Single(_node.Applier.LoadBalancerErrors).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_RollBackFailsToo_FailedWithBothMessages()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, 80), CancellationToken.None);
        _node.Dataplane.Applies(new DataplaneException("nginx refused"), new IOException("haproxy's master CLI does not answer."));

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, 80, 81), CancellationToken.None);

        Assert.Equal(ApplyResult.Failed, outcome.Result);
        Assert.Contains("nginx refused", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("master CLI does not answer", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_AfterAFailure_TheSameSnapshotApplies_AndOnlyChangedToolsReload()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, 80), CancellationToken.None);
        _node.Dataplane.Applies(new IOException("haproxy's master CLI does not answer."));
        var next = TestNode.Snapshot(2, 80, 81);
        await _node.Applier.ApplyAsync(next, CancellationToken.None);

        var outcome = await _node.Applier.ApplyAsync(next, CancellationToken.None);

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        Assert.Equal((2L, null, null), (_node.Applier.AppliedRevision, _node.Applier.LastError, _node.Applier.LastErrorRevision));
        Assert.Equal(new ToolChanges(true, false, false), _node.Dataplane.Applied[^1].Changes);
    }

    [Fact]
    public async Task ApplyAsync_OnlyHaproxysFilesChange_OnlyHaproxyIsValidated()
    {
        await _node.Applier.ApplyAsync(TestNode.Snapshot(1, 80), CancellationToken.None);

        var outcome = await _node.Applier.ApplyAsync(TestNode.Snapshot(2, 80, 81), CancellationToken.None);

        Assert.Equal(ApplyResult.Applied, outcome.Result);
        Assert.Equal([ToolChanges.All, new ToolChanges(true, false, false)], _node.Dataplane.ValidatedTools);
    }

    public void Dispose() => _node.Dispose();
}
