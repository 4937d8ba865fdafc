using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fulcrum.Server.Listeners;

/// <summary>Listeners' reads and writes, for the REST endpoints and the console alike.</summary>
public sealed class ListenerOperations(FulcrumDbContext db, TimeProvider time, IOptions<FulcrumServerOptions> options, AuditLog audit, ListenerAccessLogs accessLogs)
{
    private const string Kind = "listener";

    public const int DefaultAccessLogLines = 100;

    public async Task<Page<ListenerResponse>> ListAsync(Caller caller, string? loadBalancerId, int? offset, int? limit, CancellationToken ct)
    {
        var query = caller.Visible(db.Listeners.AsNoTracking()).Where(l => loadBalancerId == null || l.LoadBalancerId == loadBalancerId);
        return await query.PageAsync(offset, limit, l => l.ToResponse(), ct);
    }

    public async Task<Versioned<ListenerResponse>> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var listener = await caller.Visible(db.Listeners.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return Versioned.Of(listener, listener.ToResponse());
    }

    /// <summary>A listener's traffic counters as its nodes report them with their heartbeats; seen like the listener itself.</summary>
    public async Task<ListenerStatsResponse> StatsAsync(Caller caller, string id, CancellationToken ct)
    {
        var listener = await caller.Visible(db.Listeners.AsNoTracking()).ByIdAsync(id, Kind, ct);
        var rows = await db.ListenerStats.AsNoTracking().Where(s => s.ListenerId == listener.Id)
            .Join(db.Nodes, s => s.NodeId, n => n.Id, (s, n) => new { Stats = s, Node = n })
            .OrderByDescending(row => row.Node.Priority).ThenBy(row => row.Node.Id)
            .ToListAsync(ct);

        var now = time.UtcDateTime();
        var nodes = rows.Select(row => row.Stats.ToResponse(row.Node.IsOnline(now, options.Value.NodeOfflineAfter))).ToList();
        var online = nodes.Where(n => n.Online).ToList();
        var totals = new ListenerStatsTotals(
            Sum(online, n => n.CurrentConnections),
            Sum(online, n => n.TotalConnections),
            Sum(online, n => n.BytesIn),
            Sum(online, n => n.BytesOut),
            online.Aggregate(HttpResponseCounts.Zero, (sum, n) => sum.Plus(n.Responses)));
        return new ListenerStatsResponse(listener.Id, totals, nodes);
    }

    /// <summary>The newest access-log lines the cluster's MASTER reported for the listener, oldest first; seen like the listener itself.</summary>
    public async Task<AccessLogResponse> AccessLogAsync(Caller caller, string id, int? limit, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var size = Grammar.Range(errors, "limit", limit ?? DefaultAccessLogLines, 1, ListenerAccessLogs.Capacity) ?? DefaultAccessLogLines;
        errors.ThrowIfAny();
        var listener = await caller.Visible(db.Listeners.AsNoTracking()).ByIdAsync(id, Kind, ct);
        return new AccessLogResponse(listener.Id, accessLogs.Newest(listener.Id, size));
    }

    public Task<Versioned<ListenerResponse>> CreateAsync(Caller caller, ListenerRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "create", AuditResources.Listener, null, async () =>
        {
            caller.RequireWriter();
            var spec = request.Normalize(write.Errors);
            var lb = await db.LoadBalancers.AsNoTracking().WritableParentAsync(caller, spec.LoadBalancerId, write.Errors, "loadBalancerId", "load balancer", ct);
            var listener = new Listener
            {
                Id = Ids.New("lsn"),
                ProjectId = lb?.ProjectId ?? "",
                ClusterId = lb?.ClusterId ?? "",
                LoadBalancerId = lb?.Id ?? "",
                Name = "",
                Timeouts = spec.Timeouts ?? new TimeoutSpec(null, null, null),
            };
            await ValidateAsync(listener, spec, write.Errors, ct);
            await Quotas.RequireRoomAsync(db, listener.ProjectId, Quota.Listeners, 1, ct);

            var now = time.UtcDateTime();
            listener.CreatedAt = now;
            listener.UpdatedAt = now;
            listener.Apply(spec);
            db.Listeners.Add(listener);
            await db.SaveAsync(Affected.LoadBalancer(listener.LoadBalancerId, listener.ClusterId), ct);
            return Versioned.Of(listener, listener.ToResponse());
        });

    public Task<Versioned<ListenerResponse>> UpdateAsync(Caller caller, string id, ListenerRequest request, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "update", AuditResources.Listener, id, async () =>
        {
            var listener = await caller.Visible(db.Listeners).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            Writes.Fixed(write.Errors, "loadBalancerId", request.LoadBalancerId, listener.LoadBalancerId);
            var spec = (request with { LoadBalancerId = listener.LoadBalancerId }).Normalize(write.Errors);
            await ValidateAsync(listener, spec, write.Errors, ct);
            await db.UpdateAsync(
                listener, spec, Writes.Moves(Affected.LoadBalancer(listener.LoadBalancerId, listener.ClusterId)), time.UtcDateTime(), ct,
                beforeChange: async () =>
                {
                    if (spec.Protocol is not (ListenerProtocol.Http or ListenerProtocol.Https) && await db.Rules.AnyAsync(r => r.ListenerId == id, ct))
                    {
                        throw ProblemException.Conflict($"Listener '{id}' has rules, which only http and https listeners can hold; delete them first.");
                    }
                });
            return Versioned.Of(listener, listener.ToResponse());
        });

    /// <summary>A listener's rules are part of it and go with it.</summary>
    public Task DeleteAsync(Caller caller, string id, Write write, CancellationToken ct) =>
        audit.RecordAsync(caller, "delete", AuditResources.Listener, id, async () =>
        {
            var listener = await caller.Visible(db.Listeners).ForWriteAsync(id, Kind, write, caller.RequireWriter, ct);
            db.Rules.RemoveRange(await db.Rules.Where(r => r.ListenerId == id).ToListAsync(ct));
            db.Listeners.Remove(listener);
            await db.SaveAsync(Affected.LoadBalancer(listener.LoadBalancerId, listener.ClusterId), ct);
        });

    /// <summary>Counters are reported up to long.MaxValue each; a total stops there rather than wrapping negative.</summary>
    private static long Sum(IEnumerable<ListenerNodeStats> nodes, Func<ListenerNodeStats, long> counter) =>
        nodes.Aggregate(0L, (total, n) => total > long.MaxValue - counter(n) ? long.MaxValue : total + counter(n));

    /// <summary>The checks that need the database: references stay inside the load balancer and its project, ports stay unique.</summary>
    private async Task ValidateAsync(Listener listener, ListenerRequest spec, ValidationErrors errors, CancellationToken ct)
    {
        if (listener.LoadBalancerId.Length > 0)
        {
            await db.CheckBackendGroupAsync(spec.DefaultBackendGroupId, listener.LoadBalancerId, errors, "defaultBackendGroupId", ct);
            if (spec.Tls is { } tls)
            {
                await CheckInProjectAsync(db.Certificates, tls.CertificateId, listener.ProjectId, errors, "tls.certificateId", "certificate", ct);
                foreach (var sni in tls.SniCertificateIds!)
                {
                    await CheckInProjectAsync(db.Certificates, sni, listener.ProjectId, errors, "tls.sniCertificateIds", "certificate", ct);
                }
            }

            await CheckInProjectAsync(db.Acls, spec.Acl?.AclId, listener.ProjectId, errors, "acl.aclId", "ACL", ct);
        }

        errors.ThrowIfAny();

        var transport = Listener.TransportOf(spec.Protocol!.Value);
        if (await db.Listeners.AnyAsync(l => l.LoadBalancerId == listener.LoadBalancerId && l.Transport == transport && l.Port == spec.Port && l.Id != listener.Id, ct))
        {
            throw ProblemException.Conflict($"Port {spec.Port}/{transport} of load balancer '{listener.LoadBalancerId}' is taken by another listener.");
        }
    }

    private static async Task CheckInProjectAsync<T>(IQueryable<T> query, string? id, string projectId, ValidationErrors errors, string path, string kind, CancellationToken ct)
        where T : Resource, IProjectScoped
    {
        if (id is not null && !await query.AnyAsync(item => item.Id == id && item.ProjectId == projectId, ct))
        {
            errors.Add(path, $"there is no {kind} with id '{(id.Length > 40 ? id[..40] + "…" : id)}' in the load balancer's project.");
        }
    }
}
