using System.Text.Json;
using System.Text.Json.Nodes;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Http;
using Fulcrum.Server.JoinTokens;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Fulcrum.Server.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Audit;

/// <summary>
/// Records every write of the operations the REST endpoints and the console share: each operation runs its write
/// through <see cref="RecordAsync{T}"/>, which notes what the database is given to save (the fields set, their new
/// values; secrets named only) and how the write was answered. The event is stored on a connection of its own once the
/// write is answered, so a write stands even when its event cannot be stored (that is logged), and a refused write,
/// whose own changes are rolled back, still leaves its event. A dry run records nothing: nothing was written.
/// </summary>
public sealed partial class AuditLog(FulcrumDbContext db, IServiceScopeFactory scopes, TimeProvider time, ILogger<AuditLog> logger)
{
    /// <summary>A value longer than this (a certificate chain, a long ACL) is kept cut, as text.</summary>
    public const int MaxValueLength = 2048;

    private static readonly string[] SecretNameParts = ["secret", "hash", "credential", "private", "password", "token"];
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal)
    {
        nameof(Resource.Id), nameof(Resource.CreatedAt), nameof(Resource.UpdatedAt), nameof(Resource.Version), "Revision",
    };

    /// <summary>The writes of the one recorded operation running in this scope, by resource id; null outside one.</summary>
    private Dictionary<string, Written>? _written;

    public async Task<Versioned<T>> RecordAsync<T>(Caller caller, string action, string resourceType, string? id, Func<Task<Versioned<T>>> write) =>
        await RunAsync(ActorOf(caller), caller.ProjectId, action, resourceType, id, async () =>
        {
            var result = await write();
            return (result, result.Id);
        });

    public async Task RecordAsync(Caller caller, string action, string resourceType, string id, Func<Task> write) =>
        await RunAsync(ActorOf(caller), caller.ProjectId, action, resourceType, id, async () =>
        {
            await write();
            return (true, id);
        });

    /// <summary>
    /// A node's enrolment or credential rotation: the node is who made it. Refused ones are not recorded: anyone may
    /// try to enrol, and their number would push the tenants' events out of the bounded log.
    /// </summary>
    /// <param name="clusterId">The node's cluster, when the write does not go through the change tracker.</param>
    /// <param name="secretsSet">Secret fields the write sets without the change tracker (a bulk update), named in the event.</param>
    public async Task<T> RecordNodeAsync<T>(Func<T, string> nodeId, string action, Func<Task<T>> write, string? clusterId = null, params string[] secretsSet) =>
        await RunAsync(null, null, action, AuditResources.Node, null, async () =>
        {
            var result = await write();
            var id = nodeId(result);
            foreach (var name in secretsSet)
            {
                if (!_written!.TryGetValue(id, out var written))
                {
                    written = new Written(TrackedScope(id) ?? new Scope(null, clusterId, null));
                    _written[id] = written;
                }

                written.Changes[name] = JsonValue.Create(AuditEventResponse.Redacted);
            }

            return (result, id);
        });

    private async Task<T> RunAsync<T>(AuditActor? actor, string? callerProject, string action, string resourceType, string? id, Func<Task<(T Result, string Id)>> write)
    {
        // Inside another recorded write (the parts of a load balancer's tree) the enclosing write is the event; inside a
        // dry run's change nothing is kept.
        if (_written is not null || db.OneRevision is not null)
        {
            return (await write()).Result;
        }

        _written = new Dictionary<string, Written>(StringComparer.Ordinal);
        db.SavingChanges += Capture;
        try
        {
            var (result, madeId) = await write();
            var written = _written.GetValueOrDefault(madeId);
            var changes = written?.Changes ?? [];
            var scope = written?.Scope ?? TrackedScope(madeId);
            await StoreAsync(new AuditEvent
            {
                Id = Ids.New("ae"),
                ProjectId = scope?.ProjectId ?? callerProject,
                ClusterId = scope?.ClusterId,
                LoadBalancerId = scope?.LoadBalancerId,
                TokenId = actor?.TokenId,
                Role = actor?.Role,
                NodeId = actor is null ? madeId : null,
                Action = Named(action, resourceType, changes),
                ResourceType = resourceType,
                ResourceId = madeId,
                Changes = changes,
                Outcome = AuditOutcome.Success,
                Status = action switch
                {
                    "create" or "join" => StatusCodes.Status201Created,
                    "delete" or "revoke" => StatusCodes.Status204NoContent,
                    "failover" => StatusCodes.Status202Accepted,
                    _ => StatusCodes.Status200OK,
                },
            });
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException && actor is not null)
        {
            var problem = ProblemDetailsExceptionHandler.ProblemFor(e);
            var scope = id is null ? null : TrackedScope(id);
            await StoreAsync(new AuditEvent
            {
                Id = Ids.New("ae"),
                ProjectId = scope?.ProjectId ?? callerProject,
                ClusterId = scope?.ClusterId,
                LoadBalancerId = scope?.LoadBalancerId,
                TokenId = actor?.TokenId,
                Role = actor?.Role,
                Action = action,
                ResourceType = resourceType,
                ResourceId = id is null ? null : Shortened(id),
                Changes = [],
                Outcome = problem is null ? AuditOutcome.Failed : AuditOutcome.Refused,
                Status = problem?.Status ?? StatusCodes.Status500InternalServerError,
                Title = problem?.Title ?? "Internal error",
            });
            throw;
        }
        finally
        {
            db.SavingChanges -= Capture;
            _written = null;
        }
    }

    /// <summary>An id from a request may be anything; an unknown one is kept as far as any real id goes.</summary>
    private static string Shortened(string id) => id.Length > 64 ? id[..64] + "…" : id;

    private static AuditActor ActorOf(Caller caller) => new(caller.TokenId, caller.Role, null);

    /// <summary>A backend whose only change is its admin state was drained, disabled or enabled.</summary>
    private static string Named(string action, string resourceType, Dictionary<string, JsonNode?> changes) =>
        (action, resourceType, changes.Keys.ToList()) switch
        {
            ("update", AuditResources.Backend, ["adminState"]) => (string?)changes["adminState"] switch
            {
                "drain" => "drain",
                "disabled" => "disable",
                _ => "enable",
            },
            _ => action,
        };

    private void Capture(object? sender, SavingChangesEventArgs e)
    {
        db.ChangeTracker.DetectChanges();
        foreach (var entry in db.ChangeTracker.Entries<Resource>().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            if (!_written!.TryGetValue(entry.Entity.Id, out var written))
            {
                written = new Written(ScopeOf(entry.Entity));
                _written[entry.Entity.Id] = written;
            }

            if (entry.State is EntityState.Deleted)
            {
                continue;
            }

            foreach (var property in entry.Properties.Where(p => !Bookkeeping.Contains(p.Metadata.Name) && (entry.State is EntityState.Added || p.IsModified)))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Metadata.Name);
                written.Changes[name] = IsSecret(name) ? JsonValue.Create(AuditEventResponse.Redacted) : ValueOf(property.CurrentValue);
            }
        }
    }

    private static bool IsSecret(string name) => SecretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    private static JsonNode? ValueOf(object? value)
    {
        if (value is null)
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonSerializer.SerializeToNode(value, value.GetType(), FulcrumJson.Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            // Capturing runs inside the write's save: a value it cannot show must not fail the write.
            return JsonValue.Create("(not shown)");
        }

        var text = node?.ToJsonString(FulcrumJson.Options) ?? "";
        return text.Length <= MaxValueLength ? node : JsonValue.Create(text[..MaxValueLength] + "…");
    }

    private Scope? TrackedScope(string id) =>
        db.ChangeTracker.Entries<Resource>().FirstOrDefault(e => e.Entity.Id == id)?.Entity is { } entity ? ScopeOf(entity) : null;

    /// <summary>Where a resource lives: the project whose members see its events, and the cluster and load balancer pages that list them.</summary>
    private static Scope ScopeOf(Resource resource) => resource switch
    {
        LoadBalancerPart part => new(part.ProjectId, part.ClusterId, part.LoadBalancerId),
        LoadBalancer lb => new(lb.ProjectId, lb.ClusterId, lb.Id),
        IProjectScoped scoped => new(scoped.ProjectId, null, null),
        Project project => new(project.Id, null, null),
        ApiToken token => new(token.ProjectId, null, null),
        Cluster cluster => new(null, cluster.Id, null),
        Node node => new(null, node.ClusterId, null),
        JoinToken token => new(null, token.ClusterId, null),
        _ => new(null, null, null),
    };

    private async Task StoreAsync(AuditEvent auditEvent)
    {
        var now = time.UtcDateTime();
        auditEvent.CreatedAt = now;
        auditEvent.UpdatedAt = now;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<FulcrumDbContext>();
            store.AuditEvents.Add(auditEvent);
            await store.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the write itself was answered already: it stands, and the gap is logged.
            LogNotStored(logger, auditEvent.Action, auditEvent.ResourceType, auditEvent.ResourceId, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit event of {Action} {ResourceType} {ResourceId} could not be stored")]
    private static partial void LogNotStored(ILogger logger, string action, string resourceType, string? resourceId, Exception exception);

    private sealed record Scope(string? ProjectId, string? ClusterId, string? LoadBalancerId);

    private sealed record Written(Scope Scope)
    {
        public Dictionary<string, JsonNode?> Changes { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>The resource types audit events name, as the API's paths do.</summary>
public static class AuditResources
{
    public const string Project = "project";
    public const string Token = "token";
    public const string Cluster = "cluster";
    public const string JoinToken = "join-token";
    public const string Node = "node";
    public const string LoadBalancer = "load-balancer";
    public const string Listener = "listener";
    public const string Rule = "rule";
    public const string BackendGroup = "backend-group";
    public const string Backend = "backend";
    public const string Certificate = "certificate";
    public const string Acl = "acl";

    public static IReadOnlyList<string> All { get; } =
        [Project, Token, Cluster, JoinToken, Node, LoadBalancer, Listener, Rule, BackendGroup, Backend, Certificate, Acl];
}
