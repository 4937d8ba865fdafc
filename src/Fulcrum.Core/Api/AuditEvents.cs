using System.Text.Json.Nodes;

namespace Fulcrum.Core.Api;

public enum AuditOutcome
{
    Success,
    Refused,
    Failed,
}

/// <summary>
/// One write through the API or the console, as it was answered. <see cref="Changes"/> holds the fields the write set,
/// by name, with their new values; a secret field (a private key, a token's or a credential's hash) is named with
/// <see cref="Redacted"/> and never its value. A refusal has the status and the problem's title it was answered with.
/// </summary>
/// <param name="ClusterId">The cluster the resource is in, or the cluster itself.</param>
/// <param name="LoadBalancerId">The load balancer the resource is, or is a part of.</param>
/// <param name="Actor">The API token, or the node for an agent's own writes.</param>
/// <param name="Action">create, update, delete, or a named action: drain, disable, enable (a backend), revoke (a join token), join, rotate-credential.</param>
public sealed record AuditEventResponse(
    string Id,
    DateTimeOffset At,
    AuditActor Actor,
    string? ProjectId,
    string? ClusterId,
    string? LoadBalancerId,
    string Action,
    string ResourceType,
    string? ResourceId,
    IReadOnlyDictionary<string, JsonNode?> Changes,
    AuditOutcome Outcome,
    int Status,
    string? Title)
{
    public const string Redacted = "(redacted)";
}

public sealed record AuditActor(string? TokenId, Role? Role, string? NodeId);
