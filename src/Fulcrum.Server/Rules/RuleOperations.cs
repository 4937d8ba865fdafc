using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Rules;

public sealed class RuleOperations(FulcrumDbContext db, TimeProvider time)
{
    private const string Kind = "rule";

    public async Task<Versioned<RuleResponse>> CreateAsync(Caller caller, RuleRequest request, Write write, CancellationToken ct)
    {
        caller.RequireWriter();
        var spec = request.Normalize(write.Errors);
        var listener = await db.Listeners.AsNoTracking().WritableParentAsync(caller, spec.ListenerId, write.Errors, "listenerId", "listener", ct);
        await ValidateAsync(listener, spec, write.Errors, ct);

        var now = time.UtcDateTime();
        var rule = new Rule
        {
            Id = Ids.New("rule"),
            ProjectId = listener!.ProjectId,
            ClusterId = listener.ClusterId,
            LoadBalancerId = listener.LoadBalancerId,
            ListenerId = listener.Id,
            Name = spec.Name!,
            Match = spec.Match!,
            Action = spec.Action!,
            CreatedAt = now,
            UpdatedAt = now,
        };
        rule.Apply(spec);
        db.Rules.Add(rule);
        await db.SaveAsync(Affected.LoadBalancer(rule.LoadBalancerId, rule.ClusterId), ct);
        return rule.Versioned(rule.ToResponse());
    }

    /// <summary>Rules in evaluation order: by position, then creation.</summary>
    public async Task<Page<RuleResponse>> ListAsync(Caller caller, string? listenerId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Rules.AsNoTracking()).Where(r => listenerId == null || r.ListenerId == listenerId);
        return await query.PageAsync(offset, limit, r => r.ToResponse(), ct, q => q.OrderBy(r => r.Position).ThenBy(r => r.CreatedAt));
    }

    public async Task<Versioned<RuleResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var rule = await caller.Visible(db.Rules.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return rule.Versioned(rule.ToResponse());
    }

    public async Task<Versioned<RuleResponse>> UpdateAsync(Caller caller, string id, RuleRequest request, Write write, CancellationToken ct)
    {
        var rule = await db.Rules.WritableAsync(caller, id, Kind, write, ct);
        Operations.Fixed(write.Errors, "listenerId", request.ListenerId, rule.ListenerId);
        var spec = (request with { ListenerId = rule.ListenerId }).Normalize(write.Errors);
        var listener = await db.Listeners.AsNoTracking().SingleAsync(l => l.Id == rule.ListenerId, ct);
        await ValidateAsync(listener, spec, write.Errors, ct);
        await db.ChangeAsync(rule, rule.ToRequest(), spec, r => r.Apply(spec), Projection.Placed,
            Affected.LoadBalancer(rule.LoadBalancerId, rule.ClusterId), time.UtcDateTime(), ct);
        return rule.Versioned(rule.ToResponse());
    }

    public async Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct)
    {
        var rule = await db.Rules.WritableAsync(caller, id, Kind, write, ct);
        db.Rules.Remove(rule);
        await db.SaveAsync(Affected.LoadBalancer(rule.LoadBalancerId, rule.ClusterId), ct);
    }

    private async Task ValidateAsync(Listener? listener, RuleRequest spec, ValidationErrors errors, CancellationToken ct)
    {
        if (listener is not null)
        {
            if (listener.Protocol is not (ListenerProtocol.Http or ListenerProtocol.Https))
            {
                errors.Add("listenerId", "rules are only available on http and https listeners.");
            }

            await db.CheckBackendGroupAsync(spec.Action?.BackendGroupId, listener.LoadBalancerId, errors, "action.backendGroupId", ct);
        }

        errors.ThrowIfAny();
    }
}
