using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>A tenant. Its <see cref="Quotas"/> are an admin's to set; omitted ones take <see cref="ProjectQuotas.Defaults"/>.</summary>
public sealed record ProjectRequest(string? Name, string? Description, ProjectQuotas? Quotas = null)
{
    public ProjectRequest Normalize(ValidationErrors errors) =>
        new(Grammar.Name(errors, "name", Name), Grammar.Description(errors, "description", Description), (Quotas ?? ProjectQuotas.Defaults).Normalize(errors, "quotas"));
}

/// <summary>
/// How much one project may create, so that one tenant cannot fill the database or every node's configuration:
/// load balancers, listeners and backends over all its load balancers, certificates, and entries over all its ACLs.
/// </summary>
public sealed record ProjectQuotas(int? LoadBalancers, int? Listeners, int? Backends, int? Certificates, int? AclEntries)
{
    public const int Max = 1_000_000;

    public static readonly ProjectQuotas Defaults = new(20, 100, 1_000, 50, 20_000);

    public ProjectQuotas Normalize(ValidationErrors errors, string path) => new(
        Grammar.Range(errors, $"{path}.loadBalancers", LoadBalancers ?? Defaults.LoadBalancers, 0, Max),
        Grammar.Range(errors, $"{path}.listeners", Listeners ?? Defaults.Listeners, 0, Max),
        Grammar.Range(errors, $"{path}.backends", Backends ?? Defaults.Backends, 0, Max),
        Grammar.Range(errors, $"{path}.certificates", Certificates ?? Defaults.Certificates, 0, Max),
        Grammar.Range(errors, $"{path}.aclEntries", AclEntries ?? Defaults.AclEntries, 0, Max));
}

/// <summary>What a project holds now, counted as its <see cref="ProjectQuotas"/> are (<c>GET /projects/{id}/usage</c>).</summary>
public sealed record ProjectUsage(int LoadBalancers, int Listeners, int Backends, int Certificates, int AclEntries);

public sealed record ProjectResponse(string Id, string Name, string Description, ProjectQuotas Quotas, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
