using Fulcrum.Core.Validation;
using Fulcrum.Server.Http;

namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>
/// What came of a form's write: done, the API's field errors keyed by the request's JSON paths (shown next to their
/// fields), or a refusal that names no field (a quota, a name already taken, no free VIP), shown above the button.
/// </summary>
public sealed record FormOutcome(IReadOnlyDictionary<string, string[]> Errors, string? Failure)
{
    public static FormOutcome Success { get; } = new(new Dictionary<string, string[]>(), null);

    public bool Succeeded => Errors.Count == 0 && Failure is null;

    /// <summary>The same outcome with its field paths placed under <paramref name="prefix"/> (<c>port</c> becomes <c>listeners[0].port</c>).</summary>
    public FormOutcome Under(string prefix) =>
        new(Errors.ToDictionary(e => prefix + e.Key, e => e.Value, StringComparer.Ordinal), Failure);

    /// <summary>Runs a write, turning the operations' refusals into what the form shows; anything else is a bug and propagates.</summary>
    public static async Task<FormOutcome> OfAsync(Func<Task> write)
    {
        try
        {
            await write();
            return Success;
        }
        catch (ValidationFailedException e)
        {
            return new(e.Errors.ToDictionary(), e.Errors.Unlisted > 0 ? $"{e.Errors.Unlisted} more fields are wrong." : null);
        }
        catch (ProblemException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
        {
            return new(new Dictionary<string, string[]>(), "Someone else changed this since the form was opened: close it and edit again to see their change.");
        }
        catch (ProblemException e)
        {
            return new(new Dictionary<string, string[]>(), e.Message);
        }
    }
}
