using System.Text.Json.Nodes;
using Fulcrum.Core.Api;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Audit;

/// <summary>One write as it was answered; written once, never changed (<see cref="Resource.CreatedAt"/> is when).</summary>
public sealed class AuditEvent : Resource
{
    /// <summary>The project the written resource belongs to; null for what only admins see (clusters, nodes, admin tokens).</summary>
    public string? ProjectId { get; init; }

    /// <summary>The cluster the resource is in (a cluster's own id for a cluster), for the cluster's page.</summary>
    public string? ClusterId { get; init; }

    /// <summary>The load balancer the resource is or is part of, for the load balancer's page.</summary>
    public string? LoadBalancerId { get; init; }

    public string? TokenId { get; init; }

    public Role? Role { get; init; }

    public string? NodeId { get; init; }

    public required string Action { get; init; }

    public required string ResourceType { get; init; }

    public string? ResourceId { get; init; }

    public required Dictionary<string, JsonNode?> Changes { get; init; }

    public AuditOutcome Outcome { get; init; }

    public int Status { get; init; }

    public string? Title { get; init; }

    public AuditEventResponse ToResponse() => new(
        Id, CreatedAt.AsUtc(), new AuditActor(TokenId, Role, NodeId), ProjectId, ClusterId, LoadBalancerId, Action, ResourceType, ResourceId, Changes, Outcome, Status, Title);
}
