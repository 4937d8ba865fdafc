using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.BackendGroups;
using Fulcrum.Server.Backends;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Rules;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.LoadBalancers;

/// <summary>
/// A load balancer with everything in it, read or created at once. A creation is the piecewise operations run in one
/// transaction that moves the cluster's revision once: each part is checked exactly as it is on its own.
/// </summary>
public sealed class LoadBalancerTreeOperations(
    FulcrumDbContext db,
    LoadBalancerOperations loadBalancers,
    BackendGroupOperations groups,
    BackendOperations backends,
    ListenerOperations listeners,
    RuleOperations rules,
    AuditLog audit)
{
    /// <summary>Stands for an id that exists only once the parts before it are made, while the parts are first checked.</summary>
    private const string NotYetMade = "-";

    public async Task<LoadBalancerTreeResponse> ReadAsync(Caller caller, string id, CancellationToken ct) =>
        (await ReadWithProgressAsync(caller, id, ct)).Tree;

    /// <summary>The whole tree, and how many nodes applied the load balancer: what its console page shows.</summary>
    public async Task<(LoadBalancerTreeResponse Tree, LoadBalancerProgress Progress)> ReadWithProgressAsync(Caller caller, string id, CancellationToken ct)
    {
        var (lb, progress) = await loadBalancers.GetWithProgressAsync(caller, id, ct);
        var groupRows = await db.BackendGroups.AsNoTracking().Where(g => g.LoadBalancerId == id).OrderBy(g => g.CreatedAt).ThenBy(g => g.Id).ToListAsync(ct);
        var backendRows = (await db.Backends.AsNoTracking().Where(b => b.LoadBalancerId == id).OrderBy(b => b.CreatedAt).ThenBy(b => b.Id).ToListAsync(ct))
            .ToLookup(b => b.BackendGroupId);
        var listenerRows = await db.Listeners.AsNoTracking().Where(l => l.LoadBalancerId == id).OrderBy(l => l.Port).ThenBy(l => l.Id).ToListAsync(ct);
        var ruleRows = (await db.Rules.AsNoTracking().Where(r => r.LoadBalancerId == id).OrderBy(r => r.Position).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct))
            .ToLookup(r => r.ListenerId);
        var tree = new LoadBalancerTreeResponse(
            lb.Value,
            [.. groupRows.Select(g => new BackendGroupTreeResponse(g.ToResponse(), [.. backendRows[g.Id].Select(b => b.ToResponse())]))],
            [.. listenerRows.Select(l => new ListenerTreeResponse(l.ToResponse(), [.. ruleRows[l.Id].Select(r => r.ToResponse())]))]);
        return (tree, progress);
    }

    /// <summary>
    /// The status tree: the load balancer's status as <see cref="LoadBalancerStatuses"/> derives it, and each part's
    /// operating status by the same rule over the backends that part sends to.
    /// </summary>
    public async Task<LoadBalancerStatusTree> StatusAsync(Caller caller, string id, CancellationToken ct)
    {
        var (lb, progress) = await ReadWithProgressAsync(caller, id, ct);
        var provisioning = lb.LoadBalancer.ProvisioningStatus;
        var online = progress.OnlineNodes;
        var enabled = lb.LoadBalancer.Enabled;
        var groups = lb.BackendGroups.ToDictionary(g => g.BackendGroup.Id, StringComparer.Ordinal);

        List<BackendHealth> Checked(IEnumerable<BackendResponse> backends) =>
            [.. backends.Where(b => LoadBalancerStatuses.IsChecked(b.AdminState, b.Health)).Select(b => b.Health)];

        BackendGroupStatusTree Group(BackendGroupTreeResponse group) => new(
            group.BackendGroup.Id,
            group.BackendGroup.Name,
            provisioning,
            LoadBalancerStatuses.Operating(enabled, provisioning, online, Checked(group.Backends)),
            [.. group.Backends.Select(b => new BackendStatusTree(
                b.Id, b.Name, b.Address, b.Port, b.AdminState, b.Health, provisioning,
                LoadBalancerStatuses.Operating(enabled && b.AdminState != BackendAdminState.Disabled, provisioning, online, Checked([b]))))]);

        var used = new HashSet<string>(StringComparer.Ordinal);
        var listeners = lb.Listeners.Select(l =>
        {
            var listenerEnabled = enabled && l.Listener.Enabled;
            var targets = new[] { l.Listener.DefaultBackendGroupId }.Concat(l.Rules.Select(r => r.Action.BackendGroupId))
                .OfType<string>().Distinct(StringComparer.Ordinal).Where(groups.ContainsKey).ToList();
            used.UnionWith(targets);
            var rules = l.Rules.Select(r => new RuleStatusTree(
                r.Id, r.Name, r.Position, r.Action.Type!.Value, r.Action.BackendGroupId, provisioning,
                LoadBalancerStatuses.Operating(
                    listenerEnabled && r.Enabled, provisioning, online,
                    r.Action.BackendGroupId is { } target && groups.TryGetValue(target, out var group) ? Checked(group.Backends) : [])));
            return new ListenerStatusTree(
                l.Listener.Id, l.Listener.Name, l.Listener.Protocol, l.Listener.Port, provisioning,
                LoadBalancerStatuses.Operating(listenerEnabled, provisioning, online, Checked(targets.SelectMany(t => groups[t].Backends))),
                [.. rules],
                [.. targets.Select(t => Group(groups[t]))]);
        }).ToList();

        return new LoadBalancerStatusTree(
            lb.LoadBalancer.Id, lb.LoadBalancer.Name, provisioning, lb.LoadBalancer.OperatingStatus, lb.LoadBalancer.Error,
            progress.OnlineNodes, progress.AppliedNodes, listeners,
            [.. lb.BackendGroups.Where(g => !used.Contains(g.BackendGroup.Id)).Select(Group)]);
    }

    /// <summary>Every part's own fields are checked first, so that one answer names every bad field of the tree.</summary>
    public Task<Versioned<LoadBalancerResponse>> CreateAsync(Caller caller, LoadBalancerTreeRequest tree, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.LoadBalancer, null, async () =>
        {
            caller.RequireWriter();
            Check(caller, tree, write.Errors);
            write.Errors.ThrowIfAny();

            // A VIP a racing creation took meanwhile fails the whole transaction; the whole tree is then made again.
            var id = await db.RetryWhileTakenAsync(() => db.InOneRevisionAsync(() => MakeAsync(caller, tree, ct), ct));
            db.ChangeTracker.Clear();
            return await loadBalancers.GetAsync(caller, id, ct);
        });

    private async Task<string> MakeAsync(Caller caller, LoadBalancerTreeRequest tree, CancellationToken ct)
    {
        var lb = await loadBalancers.CreateAsync(caller, tree.ToRequest(), Write.Unconditional(), ct);
        var groupIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (group, i) in (tree.BackendGroups ?? []).Select((g, i) => (g, i)))
        {
            var made = await PartAsync($"backendGroups[{i}]", () => groups.CreateAsync(caller, group.ToRequest(lb.Id), Write.Unconditional(), ct));
            groupIds[group.Name!] = made.Id;
            foreach (var (backend, j) in (group.Backends ?? []).Select((b, j) => (b, j)))
            {
                await PartAsync($"backendGroups[{i}].backends[{j}]", () => backends.CreateAsync(caller, backend.ToRequest(made.Id), Write.Unconditional(), ct));
            }
        }

        foreach (var (listener, i) in (tree.Listeners ?? []).Select((l, i) => (l, i)))
        {
            var made = await PartAsync(
                $"listeners[{i}]",
                () => listeners.CreateAsync(caller, listener.ToRequest(lb.Id, IdOf(groupIds, listener.DefaultBackendGroup)), Write.Unconditional(), ct));
            foreach (var (rule, k) in (listener.Rules ?? []).Select((r, k) => (r, k)))
            {
                await PartAsync(
                    $"listeners[{i}].rules[{k}]",
                    () => rules.CreateAsync(caller, rule.ToRequest(made.Id, IdOf(groupIds, rule.Action?.BackendGroup)), Write.Unconditional(), ct));
            }
        }

        return lb.Id;
    }

    private static void Check(Caller caller, LoadBalancerTreeRequest tree, ValidationErrors errors)
    {
        (tree.ToRequest() with { ProjectId = tree.ProjectId ?? caller.ProjectId }).Normalize(errors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (group, i) in (tree.BackendGroups ?? []).Select((g, i) => (g, i)))
        {
            Part(errors, $"backendGroups[{i}]", part => group.ToRequest(NotYetMade).Normalize(part));
            if (group.Name is { } name && !names.Add(name))
            {
                errors.Add($"backendGroups[{i}].name", "is the name of another backend group of this load balancer: listeners and rules name their group.");
            }

            foreach (var (backend, j) in (group.Backends ?? []).Select((b, j) => (b, j)))
            {
                Part(errors, $"backendGroups[{i}].backends[{j}]", part => backend.ToRequest(NotYetMade).Normalize(part));
            }
        }

        foreach (var (listener, i) in (tree.Listeners ?? []).Select((l, i) => (l, i)))
        {
            Part(errors, $"listeners[{i}]", part => listener.ToRequest(NotYetMade, null).Normalize(part));
            Reference(errors, $"listeners[{i}].defaultBackendGroup", listener.DefaultBackendGroup, names);
            foreach (var (rule, k) in (listener.Rules ?? []).Select((r, k) => (r, k)))
            {
                var path = $"listeners[{i}].rules[{k}]";
                var forward = rule.Action?.Type is RuleActionType.Forward;
                Part(errors, path, part => rule.ToRequest(NotYetMade, forward ? NotYetMade : rule.Action?.BackendGroup).Normalize(part));
                if (forward && rule.Action!.BackendGroup is null)
                {
                    errors.Add($"{path}.action.backendGroup", "is required: a forward action names a backend group of this load balancer.");
                }

                Reference(errors, $"{path}.action.backendGroup", forward ? rule.Action!.BackendGroup : null, names);
            }
        }
    }

    private static void Part(ValidationErrors errors, string path, Action<ValidationErrors> check)
    {
        var part = new ValidationErrors();
        check(part);
        errors.AddAll(path, part);
    }

    private static void Reference(ValidationErrors errors, string path, string? name, HashSet<string> names)
    {
        if (name is not null && !names.Contains(name))
        {
            errors.Add(path, $"names no backend group of this load balancer ('{(name.Length > 40 ? name[..40] + "…" : name)}').");
        }
    }

    private static string? IdOf(Dictionary<string, string> groupIds, string? name) => name is null ? null : groupIds[name];

    /// <summary>A part refused by a check only the database can make (an address, a port in use, a quota) names its place in the tree.</summary>
    private static async Task<T> PartAsync<T>(string path, Func<Task<T>> make)
    {
        try
        {
            return await make();
        }
        catch (ValidationFailedException e)
        {
            var errors = new ValidationErrors();
            errors.AddAll(path, e.Errors);
            throw new ValidationFailedException(errors);
        }
    }
}
