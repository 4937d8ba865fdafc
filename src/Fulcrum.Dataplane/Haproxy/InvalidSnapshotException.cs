using Fulcrum.Core.Validation;

namespace Fulcrum.Dataplane.Haproxy;

/// <summary>
/// A snapshot that cannot be turned into a safe configuration: a value fails its grammar or a reference leads
/// nowhere. The agent keeps serving its last good configuration and reports these errors. Messages name fields by
/// their path in the snapshot and never repeat the offending value.
/// </summary>
public sealed class InvalidSnapshotException(ValidationErrors errors)
    : Exception("The snapshot cannot be rendered: " + string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key} {string.Join(" ", e.Value)}")))
{
    public ValidationErrors Errors { get; } = errors;
}
