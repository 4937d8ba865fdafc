namespace Fulcrum.Dataplane;

/// <summary>
/// A renderer refuses its input: a value that cannot be written into a configuration file safely (an address that
/// is not one, an id with a quote in it), or references that do not hold together (a node missing from its own
/// cluster). The agent keeps serving its last good configuration and reports the message, which names the field but
/// never repeats the offending text.
/// </summary>
public sealed class RenderRefusedException(string message) : Exception(message);
