using System.Reflection;
using System.Security.Claims;

namespace Fulcrum.Server.Auth;

/// <summary>
/// A node's agent, from its node credential. The credential is good for the agent endpoints only (the
/// <see cref="Policy"/> policy), and an API token is not good for those: the default policy asks for a role, which a
/// node principal does not have.
/// </summary>
public sealed record NodeCaller(string NodeId, string ClusterId)
{
    public const string Policy = "node";
    public const string NodeClaim = "fulcrum:node";
    public const string ClusterClaim = "fulcrum:cluster";

    /// <summary>Node credentials are <c>fnc_…</c>, which tells them apart from API tokens without a lookup.</summary>
    public const string CredentialPrefix = "fnc";

    public static ValueTask<NodeCaller?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<NodeCaller?>(new(
        context.User.FindFirstValue(NodeClaim) ?? throw new InvalidOperationException("The endpoint must require the node policy."),
        context.User.FindFirstValue(ClusterClaim)!));

    public static bool IsCredential(string secret) => secret.StartsWith(CredentialPrefix + "_", StringComparison.Ordinal);
}
