using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Rules;

/// <summary>Rules' reads and writes, for the REST endpoints and the console alike.</summary>
public sealed class RuleOperations(FulcrumDbContext db, TimeProvider time, AuditLog audit)
{
    private const string Kind = "rule";

    /// <summary>Rules in evaluation order: by position, then creation.</summary>
    public async Task<Page<RuleResponse>> ListAsync(Caller caller, string? listenerId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Rules.AsNoTracking()).Where(r => listenerId == null || r.ListenerId == listenerId);
        return await query.PageAsync(offset, limit, r => r.ToResponse(), ct, q => q.OrderBy(r => r.Position).ThenBy(r => r.CreatedAt));
    }

    public async Task<Versioned<RuleResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var rule = await caller.Visible(db.Rules.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return Versioned.Of(rule, rule.ToResponse());
    }

    public Task<Versioned<RuleResponse>> CreateAsync(Caller caller, RuleRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.Rule, null, async () =>
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
            return Versioned.Of(rule, rule.ToResponse());
        });

    public Task<Versioned<RuleResponse>> UpdateAsync(Caller caller, string id, RuleRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.Rule, id, async () =>
        {
            var rule = await caller.Visible(db.Rules).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            Writes.Fixed(write.Errors, "listenerId", request.ListenerId, rule.ListenerId);
            var spec = (request with { ListenerId = rule.ListenerId }).Normalize(write.Errors);
            var listener = await db.Listeners.AsNoTracking().SingleAsync(l => l.Id == rule.ListenerId, ct);
            await ValidateAsync(listener, spec, write.Errors, ct);
            await db.UpdateAsync(rule, spec, Writes.Moves(Affected.LoadBalancer(rule.LoadBalancerId, rule.ClusterId)), time.UtcDateTime(), ct);
            return Versioned.Of(rule, rule.ToResponse());
        });

    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.Rule, id, async () =>
        {
            var rule = await caller.Visible(db.Rules).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            db.Rules.Remove(rule);
            await db.SaveAsync(Affected.LoadBalancer(rule.LoadBalancerId, rule.ClusterId), ct);
        });

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
