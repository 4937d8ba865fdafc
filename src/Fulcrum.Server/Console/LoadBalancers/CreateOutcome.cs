namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>
/// What came of creating the tree: nothing to show (it was created), the API's field errors keyed by tree path, or a
/// refusal that names no field (a quota, a name already taken, no free VIP).
/// </summary>
public sealed record CreateOutcome(IReadOnlyDictionary<string, string[]> Errors, string? Failure)
{
    public static CreateOutcome Created { get; } = new(new Dictionary<string, string[]>(), null);
}
