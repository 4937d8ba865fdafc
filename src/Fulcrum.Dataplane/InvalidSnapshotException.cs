namespace Fulcrum.Dataplane;

/// <summary>
/// A snapshot a renderer will not turn into configuration (a value that fails its grammar, a node missing from its
/// own cluster). The agent refuses it and keeps serving the last good one.
/// </summary>
public sealed class InvalidSnapshotException(string message) : Exception(message);
