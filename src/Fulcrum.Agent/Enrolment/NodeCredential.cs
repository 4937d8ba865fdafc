namespace Fulcrum.Agent.Enrolment;

/// <summary>What <c>join</c> leaves in the state directory (mode 0600) for <c>run</c>.</summary>
public sealed record NodeCredential(Uri Server, string NodeId, string ClusterId, string Secret);
