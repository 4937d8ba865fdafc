namespace Fulcrum.Core.Api;

/// <summary>One page of a list, in creation order.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);
