namespace Fulcrum.Agent.Apply;

public enum ApplyResult
{
    /// <summary>The node serves the snapshot.</summary>
    Applied,

    /// <summary>The desired state itself is wrong for this node (a renderer, validator or reload refused it): tried again only once it changes.</summary>
    Refused,

    /// <summary>Something transient stood in the way (a tool not answering, a reload not confirmed in time, I/O): worth trying again as it is.</summary>
    Failed,
}

/// <summary>What became of one snapshot; <see cref="Error"/> is the message when it was not applied.</summary>
public sealed record ApplyOutcome(ApplyResult Result, long Revision, string? Error)
{
    public static ApplyOutcome Applied(long revision) => new(ApplyResult.Applied, revision, null);
}
