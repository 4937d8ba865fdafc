namespace Fulcrum.Agent.Enrolment;

/// <summary>
/// What <c>join</c> leaves in the state directory (mode 0600) for <c>run</c>: the credential and how the server is
/// recognised (null: a state directory from before pinning, which trusts the system's store).
/// </summary>
public sealed record NodeCredential(Uri Server, string NodeId, string ClusterId, string Secret, ServerTrust? Trust = null);
