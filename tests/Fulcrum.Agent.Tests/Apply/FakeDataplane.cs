using System.Net;
using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Processes;
using Fulcrum.Core.Api;
using Fulcrum.Dataplane;

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
    private readonly List<ToolChanges> _validatedTools = [];
    private readonly List<(IReadOnlyList<IPAddress> Vips, bool StandingAside)> _holds = [];

    public int Validated { get; private set; }

    /// <summary>The tools each validation was asked to check, in order.</summary>
    public IReadOnlyList<ToolChanges> ValidatedTools
    {
        get
        {
            lock (_lock)
            {
                return [.. _validatedTools];
            }
        }
    }

    /// <summary>Each hold on new connections asked for, in order, with what the standby file said at that moment.</summary>
    public IReadOnlyList<(IReadOnlyList<IPAddress> Vips, bool StandingAside)> Holds
    {
        get
        {
            lock (_lock)
            {
                return [.. _holds];
            }
        }
    }

    /// <summary>Decides each apply by the generation it finds behind <c>current</c>: what to throw, or null.</summary>
    public Func<string, Exception?>? OnApply { get; set; }

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

    /// <summary>Refuses, at validation, every generation whose haproxy configuration holds this text, naming it.</summary>
    public string? RefuseHaproxyConfigWith { get; set; }

    public Task<NodeVersions> PrepareNodeAsync(CancellationToken ct) => Task.FromResult(new NodeVersions("test", null, null, null));

    public Task<string?> ValidateAsync(string generation, ToolChanges tools, CancellationToken ct)
    {
        lock (_lock)
        {
            Validated++;
            _validatedTools.Add(tools);
            if (RefuseHaproxyConfigWith is { } refused && File.ReadAllText(Path.Combine(generation, RenderedConfig.HaproxyConfig)).Contains(refused, StringComparison.Ordinal))
            {
                return Task.FromResult<string?>($"haproxy: [ALERT] proxy '{refused}': cannot load");
            }

            return Task.FromResult(_validations.TryDequeue(out var verdict) ? verdict : null);
        }
    }

    public Task ApplyAsync(ToolChanges changes, CancellationToken ct)
    {
        lock (_lock)
        {
            var generation = Path.GetFullPath(new FileInfo(state.Current).LinkTarget!, state.Path);
            _applied.Add((changes, generation));
            var failure = _applies.TryDequeue(out var scripted) ? scripted : OnApply?.Invoke(generation);
            return failure is null ? Task.CompletedTask : Task.FromException(failure);
        }
    }

    public Task<bool> HoldNewConnectionsAsync(IReadOnlyList<IPAddress> vips, CancellationToken ct)
    {
        lock (_lock)
        {
            _holds.Add((vips, Standby.Read(state)));
        }

        return Task.FromResult(true);
    }
}
