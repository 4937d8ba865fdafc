using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// What <c>fulcrum-agent join</c> sends: the join token and the node's own facts. Without a priority the node gets
/// the highest free one of its cluster (100, 90, 80, ...).
/// </summary>
public sealed record AgentJoinRequest(string? Token, string? Name, string? Address, string? Interface, int? Priority, NodeVersions? Versions)
{
    public AgentJoinRequest Normalize(ValidationErrors errors)
    {
        var address = Grammar.IpAddress(errors, "address", Address)?.ToString();
        return new(
            Grammar.Required(errors, "token", Token),
            Grammar.Name(errors, "name", Name, required: false) ?? address,
            address,
            NodeGrammar.Interface(errors, "interface", Interface),
            Priority is null ? null : NodeGrammar.Priority(errors, "priority", Priority),
            Versions?.Normalize(errors, "versions"));
    }
}

/// <summary>The node credential is shown once; the agent keeps it in its state directory (mode 0600).</summary>
public sealed record AgentJoinResponse(string NodeId, string ClusterId, string Credential);
