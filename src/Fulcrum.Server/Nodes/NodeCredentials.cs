using Fulcrum.Core.Api;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Fulcrum.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fulcrum.Server.Nodes;

/// <summary>
/// <c>POST /api/v1/agent/credential</c>: a node trades its credential for a new one (<c>fulcrum-agent
/// rotate-credential</c>). Only the hash is kept, so the old credential stops working with this answer.
/// </summary>
public static class NodeCredentials
{
    public static async Task<Ok<AgentJoinResponse>> RotateAsync(NodeCaller node, FulcrumDbContext db, AuditLog audit, CancellationToken ct) =>
        TypedResults.Ok(await audit.RecordNodeAsync(
            rotated => rotated.NodeId,
            "rotate-credential",
            async () =>
            {
                var credential = Ids.NewSecret(NodeCaller.CredentialPrefix);
                var hash = Ids.Hash(credential);
                // Not the node's ETag: an admin's If-Match on the node must not go stale because its agent rotated.
                var found = await db.Nodes.Where(n => n.Id == node.NodeId).ExecuteUpdateAsync(s => s.SetProperty(n => n.CredentialHash, hash), ct);
                return found == 0
                    ? throw ProblemException.Forbidden("This node has been removed from its cluster; join it again with a new join token.")
                    : new AgentJoinResponse(node.NodeId, node.ClusterId, credential);
            },
            node.ClusterId,
            "credentialHash"));
}
