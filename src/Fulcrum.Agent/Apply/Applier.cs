using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Fulcrum.Agent.Processes;
using Fulcrum.Agent.Reporting;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane;
using Microsoft.Extensions.Logging;

namespace Fulcrum.Agent.Apply;

/// <summary>
/// Turns a snapshot into running configuration: render into a fresh generation directory, validate with the real
/// binaries, switch <c>current</c> atomically, reload only the tools whose files changed, and keep the snapshot as
/// the last good one. A snapshot that fails anywhere changes nothing: the node keeps serving the previous generation
/// (a tool already reloaded is reloaded back on it) and reports the message, the outcome telling whether the snapshot
/// itself was refused or something transient stood in the way.
/// </summary>
public sealed partial class Applier(
    StateDirectory state, IDataplane dataplane, HaproxyRuntime runtime, NodeFactsSource facts, ILogger<Applier> logger) : IDisposable, IUdpCheckTarget
{
    private const int GenerationsKept = 3;

    private readonly SemaphoreSlim _one = new(1, 1);
    private Dictionary<string, string> _refusedVersions = new(StringComparer.Ordinal);
    private RenderedConfig? _served;
    private string? _servedDirectory;

    public long AppliedRevision { get; private set; }

    /// <summary>The snapshot being served, null before the first success.</summary>
    public ClusterSnapshot? Snapshot { get; private set; }

    /// <summary>UDP backends the agent's own checks found down; nginx is rendered with them marked down.</summary>
    public IReadOnlySet<string> DownBackendIds { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    public string? LastError { get; private set; }

    public long? LastErrorRevision { get; private set; }

    /// <summary>Whether <see cref="LastError"/> is a transient failure, retried, rather than a refusal of the revision.</summary>
    public bool LastErrorRetried { get; private set; }

    /// <summary>The load balancers of the applied revision the node serves at their last good version or not at all, with why.</summary>
    public IReadOnlyList<LoadBalancerApplyError> LoadBalancerErrors { get; private set; } = [];

    public async Task<ApplyOutcome> ApplyAsync(ClusterSnapshot snapshot, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            // A culprit refused before and unchanged since is kept out at once: one tenant's mistake does not make
            // every later revision of the cluster bisect again.
            var known = LoadBalancerErrors.Where(e => _refusedVersions.TryGetValue(e.LoadBalancerId, out var version)
                && snapshot.LoadBalancers.FirstOrDefault(lb => lb.Id == e.LoadBalancerId) is { } lb && Version(snapshot, lb) == version).ToList();
            if (known.Count > 0)
            {
                var knownIds = known.Select(e => e.LoadBalancerId).ToHashSet(StringComparer.Ordinal);
                var rest = await ApplyOneAsync(Mix(snapshot, Snapshot, snapshot.LoadBalancers.Select(lb => lb.Id).Where(id => !knownIds.Contains(id)), []), DownBackendIds, ct);
                if (rest.Result == ApplyResult.Applied)
                {
                    return Publish(rest, known);
                }
            }

            var outcome = await ApplyOneAsync(snapshot, DownBackendIds, ct);
            if (outcome.Result == ApplyResult.Refused && snapshot.LoadBalancers.Count > 0)
            {
                var (isolated, culprits) = await IsolateAsync(snapshot, outcome.Error, ct);
                _refusedVersions = culprits.ToDictionary(
                    c => c.LoadBalancerId, c => Version(snapshot, snapshot.LoadBalancers.First(lb => lb.Id == c.LoadBalancerId)), StringComparer.Ordinal);
                return Publish(isolated, culprits);
            }

            return Publish(outcome, []);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Whether a load balancer is kept out because another process held one of its ports: worth trying again.</summary>
    public bool KeepsOutHeldPorts => LoadBalancerErrors.Any(IsHeldPort);

    /// <summary>
    /// Tries again, one at a time, each load balancer of <paramref name="desired"/> (the revision applied) kept out
    /// because another process held one of its ports: the other process may have let it go, and nothing else would
    /// bring the load balancer back until it changes. Each one whose trial applies is served from then on; true when
    /// any came back.
    /// </summary>
    public async Task<bool> RetryHeldPortsAsync(ClusterSnapshot desired, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            if (desired.Revision != AppliedRevision)
            {
                return false;
            }

            var kept = LoadBalancerErrors.ToDictionary(e => e.LoadBalancerId, StringComparer.Ordinal);
            foreach (var culprit in LoadBalancerErrors.Where(IsHeldPort))
            {
                var trial = Mix(desired, Snapshot, desired.LoadBalancers.Select(lb => lb.Id).Where(id => !kept.ContainsKey(id) || id == culprit.LoadBalancerId), []);
                if ((await ApplyOneAsync(trial, DownBackendIds, ct)).Result == ApplyResult.Applied)
                {
                    kept.Remove(culprit.LoadBalancerId);
                    _refusedVersions.Remove(culprit.LoadBalancerId);
                    LogHeldPortFreed(logger, culprit.LoadBalancerId);
                }
            }

            var cameBack = kept.Count < LoadBalancerErrors.Count;
            LoadBalancerErrors = [.. LoadBalancerErrors.Where(e => kept.ContainsKey(e.LoadBalancerId))];
            return cameBack;
        }
        finally
        {
            _one.Release();
        }
    }

    private static bool IsHeldPort(LoadBalancerApplyError error) => error.Error.Contains(HeldPorts.InUse, StringComparison.Ordinal);

    /// <summary>Re-renders the served snapshot with a new set of down UDP backends (only nginx's files change).</summary>
    public async Task UseDownBackendsAsync(IReadOnlySet<string> down, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            if (Snapshot is { } served && Publish(await ApplyOneAsync(served, down, ct), LoadBalancerErrors).Result == ApplyResult.Applied)
            {
                DownBackendIds = down;
            }
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// Starts again, on the generation being served, every data-plane program that is not running (the
    /// <see cref="Supervisor"/> calls it when one exits); under the same lock as an apply, so the two never both start
    /// one. False when nothing is served yet.
    /// </summary>
    public async Task<bool> StartMissingAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            if (Snapshot is null)
            {
                return false;
            }

            await dataplane.ApplyAsync(new ToolChanges(Haproxy: false, Nginx: false, Keepalived: false), ct);
            return true;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<ApplyOutcome> ApplyOneAsync(ClusterSnapshot snapshot, IReadOnlySet<string> down, CancellationToken ct)
    {
        var timer = new AgentMetrics.ApplyTimer();
        var outcome = await ApplyTimedAsync(snapshot, down, timer, ct);
        timer.Done(outcome.Result);
        return outcome;
    }

    private async Task<ApplyOutcome> ApplyTimedAsync(ClusterSnapshot snapshot, IReadOnlySet<string> down, AgentMetrics.ApplyTimer timer, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Revision"] = snapshot.Revision });
        var generation = Path.Combine(state.Generations, $"{snapshot.Revision}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}");
        try
        {
            RenderedConfig config;
            try
            {
                config = DataplaneRenderer.Render(snapshot, facts.For(snapshot), generation, down);
            }
            catch (RenderRefusedException e)
            {
                return NotApplied(ApplyResult.Refused, snapshot.Revision, generation, e.Message);
            }

            Write(generation, config);
            timer.Phase("render");
            // Backends only changed go through haproxy's runtime API; haproxy's file then differs from the validated
            // one in server lines only, written as every other one, and haproxy -c (the slow part) is skipped. A tool
            // whose files equal the ones it serves is not validated again either.
            var runtimeChanges = Snapshot is { } served
                ? RuntimeChanges.Plan(served, snapshot, config.Haproxy.FirstOrDefault(f => f.Path == RenderedConfig.HaproxyConfig)?.Content ?? "")
                : null;
            var changes = Changes(config, generation);
            var validated = changes with { Haproxy = changes.Haproxy && runtimeChanges is not { Count: > 0 } };
            if (await dataplane.ValidateAsync(generation, validated, ct) is { } refusal)
            {
                return NotApplied(ApplyResult.Refused, snapshot.Revision, generation, refusal);
            }

            timer.Phase("validate");
            Switch(generation);
            timer.Phase("switch");
            try
            {
                // A rollback still reloads haproxy on the served generation: that undoes runtime changes too.
                var reloads = changes;
                if (changes.Haproxy && runtimeChanges is { Count: > 0 })
                {
                    if (await runtime.TryApplyAsync(runtimeChanges, ct))
                    {
                        reloads = changes with { Haproxy = false };
                    }

                    timer.Phase("runtime");
                }

                await dataplane.ApplyAsync(reloads, ct);
                timer.Phase("reload");
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                var (rolledBack, reason) = await RollBackAsync(changes, e.Message, ct);
                // Only a refusal the node fully recovered from is the snapshot's fault; else its state is unsure: retried.
                var result = e is DataplaneException && rolledBack ? ApplyResult.Refused : ApplyResult.Failed;
                return NotApplied(result, snapshot.Revision, generation, reason);
            }

            StateDirectory.WritePrivate(state.SnapshotFile, snapshot);

            _served = config;
            _servedDirectory = generation;
            Snapshot = snapshot;
            Prune();
            LogApplied(logger, snapshot.Revision, changes.Haproxy, changes.Nginx, changes.Keepalived);
            return ApplyOutcome.Applied(snapshot.Revision);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // I/O on the state directory, a validator that did not finish, anything unforeseen: nothing says the
            // snapshot is wrong, so it is tried again.
            return NotApplied(ApplyResult.Failed, snapshot.Revision, generation, e.Message);
        }
    }

    /// <summary>
    /// One tenant's mistake stays its own: the snapshot was refused, so its load balancers are bisected — halves of
    /// them at their desired version, the others at the version served (or left out when new) — each trial a real
    /// apply, so that what a reload refuses (a port another process holds, which <c>haproxy -c</c> does not bind) is
    /// found as well as what a validator refuses. A trial that applies is kept; one refused with a single load
    /// balancer at its desired version names the culprit. The node ends on the revision with every other load
    /// balancer as desired, each culprit at its last good version — or left out if that does not apply either.
    /// </summary>
    private async Task<(ApplyOutcome Outcome, IReadOnlyList<LoadBalancerApplyError> Culprits)> IsolateAsync(ClusterSnapshot desired, string? refusal, CancellationToken ct)
    {
        var served = Snapshot;
        var good = new HashSet<string>(StringComparer.Ordinal);
        var culprits = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<List<string>>();
        var all = desired.LoadBalancers.Select(lb => lb.Id).ToList();
        if (all.Count == 1)
        {
            culprits[all[0]] = Explain(desired, served, all[0], refusal);
        }
        else
        {
            Halve(all, pending);
        }

        var applied = false;
        while (pending.TryPop(out var trial))
        {
            var outcome = await ApplyOneAsync(Mix(desired, served, [.. good, .. trial], []), DownBackendIds, ct);
            switch (outcome.Result)
            {
                case ApplyResult.Failed:
                    return (outcome, []);
                case ApplyResult.Applied:
                    applied = true;
                    good.UnionWith(trial);
                    break;
                case ApplyResult.Refused when trial.Count == 1:
                    culprits[trial[0]] = Explain(desired, served, trial[0], outcome.Error);
                    break;
                default:
                    Halve(trial, pending);
                    break;
            }
        }

        if (!applied)
        {
            // Every culprit at its last good version, which is what is served unless the revision also removed some.
            var outcome = await ApplyOneAsync(Mix(desired, served, good, []), DownBackendIds, ct);
            if (outcome.Result == ApplyResult.Refused)
            {
                outcome = await ApplyOneAsync(Mix(desired, served, good, [.. culprits.Keys]), DownBackendIds, ct);
            }

            if (outcome.Result != ApplyResult.Applied)
            {
                return (outcome, []);
            }
        }

        // What was refused is each culprit's own fault, reported on it; the node itself applied the revision.
        var errors = culprits.Select(c => new LoadBalancerApplyError(c.Key, desired.Revision, c.Value)).ToList();
        foreach (var culprit in errors)
        {
            LogLoadBalancerRefused(logger, desired.Revision, culprit.LoadBalancerId, culprit.Error);
        }

        return (ApplyOutcome.Applied(desired.Revision), errors);
    }

    /// <summary>
    /// Makes an outcome what the heartbeat reports — only once a snapshot is done with, so that the steps of an
    /// isolation (whose refusals are not the node's fault) never show.
    /// </summary>
    private ApplyOutcome Publish(ApplyOutcome outcome, IReadOnlyList<LoadBalancerApplyError> culprits)
    {
        if (outcome.Result == ApplyResult.Applied)
        {
            AppliedRevision = outcome.Revision;
            LastError = null;
            LastErrorRevision = null;
            LastErrorRetried = false;
            LoadBalancerErrors = culprits;
        }
        else
        {
            LastError = outcome.Error;
            LastErrorRevision = outcome.Revision;
            LastErrorRetried = outcome.Result == ApplyResult.Failed;
        }

        return outcome;
    }

    /// <summary>The tool's message, with the listeners whose port another process holds named when a reload was refused.</summary>
    private static string Explain(ClusterSnapshot desired, ClusterSnapshot? served, string loadBalancerId, string? refusal)
    {
        var message = refusal ?? "refused";
        if (!message.StartsWith("haproxy refused the reload", StringComparison.Ordinal))
        {
            return message;
        }

        var held = HeldPorts.Describe(desired.LoadBalancers.First(lb => lb.Id == loadBalancerId), served);
        return held.Length == 0 ? message : $"{held}\n{message}";
    }

    /// <summary>Splits a refused set of at least two load balancers; the first half is tried first.</summary>
    private static void Halve(List<string> ids, Stack<List<string>> pending)
    {
        pending.Push(ids[(ids.Count / 2)..]);
        pending.Push(ids[..(ids.Count / 2)]);
    }

    /// <summary>The desired snapshot with only <paramref name="desiredIds"/> at their desired version; the others as served, or left out.</summary>
    private static ClusterSnapshot Mix(ClusterSnapshot desired, ClusterSnapshot? served, IEnumerable<string> desiredIds, IEnumerable<string> leftOut)
    {
        var atDesired = desiredIds.ToHashSet(StringComparer.Ordinal);
        var omitted = leftOut.ToHashSet(StringComparer.Ordinal);
        var desiredCertificates = desired.LoadBalancers.Where(lb => atDesired.Contains(lb.Id)).SelectMany(CertificateIds).ToHashSet(StringComparer.Ordinal);
        // A load balancer at its served version keeps the certificates it was served with (a rotation may be what
        // was refused), unless one at its desired version shares them.
        var servedCertificates = (served?.Certificates ?? []).ToDictionary(c => c.Id, StringComparer.Ordinal);
        return desired with
        {
            LoadBalancers =
            [
                .. desired.LoadBalancers
                    .Select(lb => atDesired.Contains(lb.Id) ? lb : omitted.Contains(lb.Id) ? null : served?.LoadBalancers.FirstOrDefault(s => s.Id == lb.Id))
                    .OfType<SnapshotLoadBalancer>(),
            ],
            Certificates =
            [
                .. desired.Certificates.Select(c => !desiredCertificates.Contains(c.Id) && servedCertificates.TryGetValue(c.Id, out var old) ? old : c),
            ],
        };
    }

    /// <summary>What a load balancer is at one revision: its own settings and the certificates it uses.</summary>
    private static string Version(ClusterSnapshot snapshot, SnapshotLoadBalancer lb)
    {
        var certificates = CertificateIds(lb).ToHashSet(StringComparer.Ordinal);
        return JsonSerializer.Serialize(new { lb, certificates = snapshot.Certificates.Where(c => certificates.Contains(c.Id)) }, FulcrumJson.Options);
    }

    private static IEnumerable<string> CertificateIds(SnapshotLoadBalancer lb) =>
        lb.Listeners.Where(l => l.Tls is not null).SelectMany(l => (string?[])[l.Tls!.CertificateId, .. l.Tls.SniCertificateIds ?? []]).OfType<string>();

    /// <summary>
    /// Puts the node back exactly on the generation it was serving: <c>current</c> points at it again and every tool
    /// the new generation touched is reloaded on it — one that was reloaded before a later one failed serves the new
    /// files otherwise. Returns whether that worked, and the message to report.
    /// </summary>
    private async Task<(bool RolledBack, string Reason)> RollBackAsync(ToolChanges changes, string reason, CancellationToken ct)
    {
        if (_servedDirectory is null)
        {
            return (true, reason);
        }

        try
        {
            Switch(_servedDirectory);
            await dataplane.ApplyAsync(changes, ct);
            return (true, reason);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogRollBackFailed(logger, e.Message);
            return (false, $"{reason}\nRolling back to the served generation failed too: {e.Message}");
        }
    }

    public void Dispose() => _one.Dispose();

    private ApplyOutcome NotApplied(ApplyResult result, long revision, string generation, string reason)
    {
        if (Directory.Exists(generation) && !IsCurrent(generation))
        {
            Directory.Delete(generation, recursive: true);
        }

        if (result == ApplyResult.Refused)
        {
            LogRefused(logger, revision, reason);
        }
        else
        {
            LogFailed(logger, revision, reason);
        }

        return new ApplyOutcome(result, revision, reason.Length > 4000 ? reason[..4000] : reason);
    }

    private static void Write(string generation, RenderedConfig config)
    {
        Directory.CreateDirectory(generation, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in config.Haproxy.Concat(config.Nginx).Concat(config.Keepalived))
        {
            var path = Path.Combine(generation, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var mode = file.Secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            StateDirectory.WriteAtomically(path, file.Content, mode);
        }
    }

    /// <summary>A tool changed when its files differ, once each generation's own directory is set aside.</summary>
    private ToolChanges Changes(RenderedConfig next, string generation)
    {
        if (_served is null || _servedDirectory is null)
        {
            return ToolChanges.All;
        }

        bool Differs(IReadOnlyList<RenderedFile> before, IReadOnlyList<RenderedFile> after) =>
            !before.Select(f => (f.Path, f.Content.Replace(_servedDirectory, "", StringComparison.Ordinal)))
                .SequenceEqual(after.Select(f => (f.Path, f.Content.Replace(generation, "", StringComparison.Ordinal))));

        return new ToolChanges(Differs(_served.Haproxy, next.Haproxy), Differs(_served.Nginx, next.Nginx), Differs(_served.Keepalived, next.Keepalived));
    }

    /// <summary>Points <c>current</c> at the new generation with one rename: there is never a moment without a config.</summary>
    private void Switch(string generation)
    {
        var link = state.Current + ".next";
        if (File.Exists(link) || Directory.Exists(link))
        {
            File.Delete(link);
        }

        File.CreateSymbolicLink(link, generation);
        // rename(2) replaces the old link atomically; File.Move would follow the link to the directory it names.
        if (Posix.Rename(link, state.Current) != 0)
        {
            throw new IOException($"Could not switch {state.Current} to the new generation (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private bool IsCurrent(string generation) =>
        new FileInfo(state.Current).LinkTarget is { } target && Path.GetFullPath(target, state.Path) == Path.GetFullPath(generation);

    private void Prune()
    {
        var old = new DirectoryInfo(state.Generations).GetDirectories()
            .OrderByDescending(d => d.CreationTimeUtc)
            .Skip(GenerationsKept)
            .Where(d => !IsCurrent(d.FullName));
        foreach (var directory in old)
        {
            directory.Delete(recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied revision {Revision} (reloaded haproxy: {Haproxy}, nginx: {Nginx}, keepalived: {Keepalived})")]
    private static partial void LogApplied(ILogger logger, long revision, bool haproxy, bool nginx, bool keepalived);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused revision {Revision}; the previous configuration keeps serving: {Reason}")]
    private static partial void LogRefused(ILogger logger, long revision, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not apply revision {Revision} for now; the previous configuration keeps serving: {Reason}")]
    private static partial void LogFailed(ILogger logger, long revision, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revision {Revision}: load balancer {LoadBalancerId} is refused and kept at its last good version (or left out); every other one is served: {Reason}")]
    private static partial void LogLoadBalancerRefused(ILogger logger, long revision, string loadBalancerId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Load balancer {LoadBalancerId}: the port another process held is free again; it is served")]
    private static partial void LogHeldPortFreed(ILogger logger, string loadBalancerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not bring the data plane back to the served generation: {Reason}")]
    private static partial void LogRollBackFailed(ILogger logger, string reason);
}
