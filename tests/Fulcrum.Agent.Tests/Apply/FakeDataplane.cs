using Fulcrum.Agent.Processes;
using Fulcrum.Core.Api;

namespace Fulcrum.Agent.Tests.Apply;

/// <summary>
/// A data plane that runs nothing: it records which generation each apply found behind <c>current</c>, and fails the
/// way a test scripts it to.
/// </summary>
public sealed class FakeDataplane(StateDirectory state) : IDataplane
{
    private readonly Lock _lock = new();
    private readonly Queue<string?> _validations = new();
    private readonly Queue<Exception?> _applies = new();
    private readonly List<(ToolChanges Changes, string Generation)> _applied = [];

    public IReadOnlyList<(ToolChanges Changes, string Generation)> Applied
    {
        get
        {
            lock (_lock)
            {
                return [.. _applied];
            }
        }
    }

    /// <summary>The next validations' verdicts, in order (null: accepted); once used up, every generation is accepted.</summary>
    public void Validations(params string?[] verdicts)
    {
        lock (_lock)
        {
            foreach (var verdict in verdicts)
            {
                _validations.Enqueue(verdict);
            }
        }
    }

    /// <summary>What the next applies throw, in order (null: they succeed); once used up, every apply succeeds.</summary>
    public void Applies(params Exception?[] failures)
    {
        lock (_lock)
        {
            foreach (var failure in failures)
            {
                _applies.Enqueue(failure);
            }
        }
    }

    public Task<NodeVersions> PrepareNodeAsync(CancellationToken ct) => Task.FromResult(new NodeVersions("test", null, null, null));

    public Task<string?> ValidateAsync(string generation, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult(_validations.TryDequeue(out var verdict) ? verdict : null);
        }
    }

    public Task ApplyAsync(ToolChanges changes, CancellationToken ct)
    {
        lock (_lock)
        {
            _applied.Add((changes, Path.GetFullPath(new FileInfo(state.Current).LinkTarget!, state.Path)));
            return _applies.TryDequeue(out var failure) && failure is not null ? Task.FromException(failure) : Task.CompletedTask;
        }
    }
}
