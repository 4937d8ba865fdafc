using Fulcrum.Core.Validation;

namespace Fulcrum.Dataplane;

/// <summary>
/// A renderer refuses its input: a value that cannot be written into a configuration file safely (an address that
/// is not one, an id with a quote in it), or references that do not hold together (a node missing from its own
/// cluster). The agent keeps serving its last good configuration and reports the message, which names the fields by
/// their path in the snapshot but never repeats the offending text.
/// </summary>
public sealed class RenderRefusedException : Exception
{
    public RenderRefusedException(string message)
        : base(message)
    {
        Errors = new ValidationErrors();
    }

    public RenderRefusedException(ValidationErrors errors)
        : base("The snapshot cannot be rendered: " + string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key} {string.Join(" ", e.Value)}")))
    {
        Errors = errors;
    }

    /// <summary>Every refused field by its path, when the renderer checked them all (haproxy's does).</summary>
    public ValidationErrors Errors { get; }
}
