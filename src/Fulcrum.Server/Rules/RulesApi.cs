using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Rules;

public static class RulesApi
{
    private const string Kind = "rule";

    public static void MapRulesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/rules").WithTags("Rules");
        group.MapPost("/", CreateAsync).Accepts<RuleRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<RuleRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<RuleResponse>> CreateAsync(Body<RuleRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        caller.RequireWriter();
        var spec = body.Value.Normalize(body.Errors);
        var listener = await db.Listeners.AsNoTracking().WritableParentAsync(caller, spec.ListenerId, body.Errors, "listenerId", "listener", ct);
        await ValidateAsync(db, listener, spec, body.Errors, ct);

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
        return http.WithETag(rule, TypedResults.Created($"/api/v1/rules/{rule.Id}", rule.ToResponse()));
    }

    /// <summary>Rules in evaluation order: by position, then creation.</summary>
    private static async Task<Ok<Page<RuleResponse>>> ListAsync(Caller caller, FulcrumDbContext db, string? listenerId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Rules.AsNoTracking()).Where(r => listenerId == null || r.ListenerId == listenerId);
        return TypedResults.Ok(await query.PageAsync(offset, limit, r => r.ToResponse(), ct, q => q.OrderBy(r => r.Position).ThenBy(r => r.CreatedAt)));
    }

    private static async Task<Ok<RuleResponse>> GetAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var rule = await caller.Visible(db.Rules.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return http.WithETag(rule, TypedResults.Ok(rule.ToResponse()));
    }

    private static async Task<Ok<RuleResponse>> UpdateAsync(string id, Body<RuleRequest> body, Caller caller, FulcrumDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var rule = await caller.Visible(db.Rules).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, rule);
        LoadBalancersApi.Fixed(body.Errors, "listenerId", body.Value.ListenerId, rule.ListenerId);
        var spec = (body.Value with { ListenerId = rule.ListenerId }).Normalize(body.Errors);
        var listener = await db.Listeners.AsNoTracking().SingleAsync(l => l.Id == rule.ListenerId, ct);
        await ValidateAsync(db, listener, spec, body.Errors, ct);

        var before = rule.ToRequest();
        if (!Revisions.Same(before, spec))
        {
            var affectsNodes = !Revisions.Same(before with { Name = null, Description = null }, spec with { Name = null, Description = null });
            rule.Apply(spec);
            rule.Touch(time.UtcDateTime());
            await db.SaveAsync(affectsNodes ? Affected.LoadBalancer(rule.LoadBalancerId, rule.ClusterId) : Affected.None, ct);
        }

        return http.WithETag(rule, TypedResults.Ok(rule.ToResponse()));
    }

    private static async Task<NoContent> DeleteAsync(string id, Caller caller, FulcrumDbContext db, HttpContext http, CancellationToken ct)
    {
        var rule = await caller.Visible(db.Rules).ByIdAsync(id, Kind, ct);
        caller.RequireWriter();
        ETags.CheckIfMatch(http, rule);
        db.Rules.Remove(rule);
        await db.SaveAsync(Affected.LoadBalancer(rule.LoadBalancerId, rule.ClusterId), ct);
        return TypedResults.NoContent();
    }

    private static async Task ValidateAsync(FulcrumDbContext db, Listener? listener, RuleRequest spec, Fulcrum.Core.Validation.ValidationErrors errors, CancellationToken ct)
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
