using System.Text.Json;
using System.Text.Json.Serialization;
using Fulcrum.Core.Json;
using Fulcrum.Server.Acls;
using Fulcrum.Server.Audit;
using Fulcrum.Server.BackendGroups;
using Fulcrum.Server.Backends;
using Fulcrum.Server.Certificates;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.JoinTokens;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Projects;
using Fulcrum.Server.Rules;
using Fulcrum.Server.Tokens;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fulcrum.Server.Persistence;

/// <summary>
/// The control plane's database. Uniqueness that the API promises (VIPs, ports, router ids, priorities) is held by
/// unique indexes, so several server replicas on one PostgreSQL database stay correct without locks of their own.
/// </summary>
public abstract class FulcrumDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Project> Projects => Set<Project>();

    /// <summary>While several writes make one change (<see cref="Revisions.InOneRevisionAsync"/>): what they touch so far.</summary>
    internal Affected? OneRevision { get; set; }

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Cluster> Clusters => Set<Cluster>();

    public DbSet<JoinToken> JoinTokens => Set<JoinToken>();

    public DbSet<Node> Nodes => Set<Node>();

    public DbSet<LoadBalancer> LoadBalancers => Set<LoadBalancer>();

    public DbSet<Listener> Listeners => Set<Listener>();

    public DbSet<Rule> Rules => Set<Rule>();

    public DbSet<BackendGroup> BackendGroups => Set<BackendGroup>();

    public DbSet<Backend> Backends => Set<Backend>();

    public DbSet<Certificate> Certificates => Set<Certificate>();

    public DbSet<Acl> Acls => Set<Acl>();

    public DbSet<ListenerStats> ListenerStats => Set<ListenerStats>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        foreach (var type in modelBuilder.Model.GetEntityTypes().Where(t => typeof(Resource).IsAssignableFrom(t.ClrType)))
        {
            modelBuilder.Entity(type.ClrType, entity =>
            {
                entity.HasKey(nameof(Resource.Id));
                entity.Property(nameof(Resource.Id)).HasMaxLength(32);
                entity.Property(nameof(Resource.Version)).IsConcurrencyToken();
                entity.HasIndex(nameof(Resource.CreatedAt));
                entity.Ignore(nameof(Resource.ETag));
            });
        }

        modelBuilder.Entity<Project>(project => project.Property(p => p.Quotas).AsJson());

        modelBuilder.Entity<ApiToken>(token =>
        {
            token.HasIndex(t => t.SecretHash).IsUnique();
            token.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.NoAction);
        });

        modelBuilder.Entity<Cluster>(cluster =>
        {
            cluster.HasIndex(c => c.VirtualRouterId).IsUnique();
            cluster.Property(c => c.VipPools).AsJson();
            cluster.Property(c => c.VipPrefixLengths).AsJson();
            cluster.Property(c => c.BackendAllowedRanges).AsJson();
            cluster.Ignore(c => c.Vrrp);
        });

        modelBuilder.Entity<JoinToken>(token =>
        {
            token.HasIndex(t => t.SecretHash).IsUnique();
            token.HasOne<Cluster>().WithMany().HasForeignKey(t => t.ClusterId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Node>(node =>
        {
            node.HasIndex(n => n.CredentialHash).IsUnique();
            node.HasIndex(n => new { n.ClusterId, n.Priority }).IsUnique();
            node.HasOne<Cluster>().WithMany().HasForeignKey(n => n.ClusterId).OnDelete(DeleteBehavior.NoAction);
            node.Property(n => n.Restarts).AsJson();
        });

        modelBuilder.Entity<LoadBalancer>(lb =>
        {
            lb.HasIndex(l => new { l.ClusterId, l.Vip }).IsUnique();
            lb.HasOne<Project>().WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.NoAction);
            lb.HasOne<Cluster>().WithMany().HasForeignKey(l => l.ClusterId).OnDelete(DeleteBehavior.NoAction);
        });

        modelBuilder.Entity<Listener>(listener =>
        {
            listener.HasIndex(l => new { l.LoadBalancerId, l.Transport, l.Port }).IsUnique();
            listener.HasOne<LoadBalancer>().WithMany().HasForeignKey(l => l.LoadBalancerId).OnDelete(DeleteBehavior.Cascade);
            listener.HasOne<BackendGroup>().WithMany().HasForeignKey(l => l.DefaultBackendGroupId).OnDelete(DeleteBehavior.NoAction);
            listener.HasOne<Certificate>().WithMany().HasForeignKey(l => l.CertificateId).OnDelete(DeleteBehavior.NoAction);
            listener.HasOne<Acl>().WithMany().HasForeignKey(l => l.AclId).OnDelete(DeleteBehavior.NoAction);
            listener.Property(l => l.Timeouts).AsJson();
            listener.Property(l => l.HealthCheck).AsJson();
            listener.Property(l => l.StickySession).AsJson();
            listener.Property(l => l.Tls).AsJson();
            listener.Property(l => l.Acl).AsJson();
            listener.Ignore(l => l.CertificateIds);
        });

        modelBuilder.Entity<ListenerStats>(stats =>
        {
            stats.HasKey(s => new { s.NodeId, s.ListenerId });
            stats.Property(s => s.NodeId).HasMaxLength(32);
            stats.Property(s => s.ListenerId).HasMaxLength(32);
            stats.HasIndex(s => s.ListenerId);
            stats.HasOne<Node>().WithMany().HasForeignKey(s => s.NodeId).OnDelete(DeleteBehavior.Cascade);
            stats.HasOne<Listener>().WithMany().HasForeignKey(s => s.ListenerId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Rule>(rule =>
        {
            rule.HasOne<Listener>().WithMany().HasForeignKey(r => r.ListenerId).OnDelete(DeleteBehavior.Cascade);
            rule.HasOne<BackendGroup>().WithMany().HasForeignKey(r => r.BackendGroupId).OnDelete(DeleteBehavior.NoAction);
            rule.Property(r => r.Match).AsJson();
            rule.Property(r => r.Action).AsJson();
        });

        modelBuilder.Entity<BackendGroup>(group =>
            group.HasOne<LoadBalancer>().WithMany().HasForeignKey(g => g.LoadBalancerId).OnDelete(DeleteBehavior.Cascade));

        modelBuilder.Entity<Backend>(backend =>
            backend.HasOne<BackendGroup>().WithMany().HasForeignKey(b => b.BackendGroupId).OnDelete(DeleteBehavior.Cascade));

        modelBuilder.Entity<Certificate>(certificate =>
        {
            certificate.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.NoAction);
            certificate.Property(c => c.Info).AsJson();
        });

        modelBuilder.Entity<AuditEvent>(auditEvent =>
        {
            auditEvent.Property(a => a.Changes).AsJson();
            auditEvent.HasIndex(a => new { a.ProjectId, a.CreatedAt });
            auditEvent.HasIndex(a => new { a.ResourceId, a.CreatedAt });
            auditEvent.HasIndex(a => new { a.ClusterId, a.CreatedAt });
            auditEvent.HasIndex(a => new { a.LoadBalancerId, a.CreatedAt });
        });

        modelBuilder.Entity<Acl>(acl =>
        {
            acl.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId).OnDelete(DeleteBehavior.NoAction);
            acl.Property(a => a.Entries).AsJson();
        });
    }
}

public sealed class SqliteFulcrumDbContext(DbContextOptions<SqliteFulcrumDbContext> options) : FulcrumDbContext(options);

public sealed class PostgresFulcrumDbContext(DbContextOptions<PostgresFulcrumDbContext> options) : FulcrumDbContext(options);

internal static class JsonColumns
{
    /// <summary>
    /// Stores a value object as JSON text (portable across SQLite and PostgreSQL); equal JSON means unchanged, so an
    /// update with the same values writes nothing.
    /// </summary>
    public static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property)
    {
        property.HasConversion(
            value => Serialize(value),
            json => Deserialize<T>(json),
            new ValueComparer<T>(
                (left, right) => Serialize(left) == Serialize(right),
                value => Serialize(value).GetHashCode(StringComparison.Ordinal),
                value => Deserialize<T>(Serialize(value))));
        return property;
    }

    // Stored JSON outlives the types that wrote it: a field removed later must not make old rows unreadable.
    private static readonly JsonSerializerOptions Options = new(FulcrumJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    private static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}

