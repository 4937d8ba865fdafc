namespace Fulcrum.Core.Validation;

/// <summary>
/// Every problem found in one request, keyed by the JSON path of the field (<c>healthCheck.http.path</c>,
/// <c>entries[2].cidr</c>). Validation never stops at the first error: a user fixes a request in one go.
/// </summary>
public sealed class ValidationErrors
{
    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _final = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string path, string message)
    {
        if (_final.Contains(path))
        {
            return;
        }

        if (!_errors.TryGetValue(path, out var messages))
        {
            messages = [];
            _errors.Add(path, messages);
        }

        if (!messages.Contains(message))
        {
            messages.Add(message);
        }
    }

    /// <summary>
    /// Records the one error of a field that could not be read at all (a string where a number belongs): later
    /// checks of the same field, which saw it as missing, add nothing.
    /// </summary>
    public void AddFinal(string path, string message)
    {
        Add(path, message);
        _final.Add(path);
    }

    /// <summary>True when the field or anything below it already has an error.</summary>
    public bool Has(string path) =>
        _errors.Keys.Any(key => key == path
            || key.StartsWith(path + ".", StringComparison.Ordinal)
            || key.StartsWith(path + "[", StringComparison.Ordinal));

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw new ValidationFailedException(this);
        }
    }
}

public sealed class ValidationFailedException(ValidationErrors errors)
    : Exception("The request has invalid fields: " + string.Join(", ", errors.ToDictionary().Keys))
{
    public ValidationErrors Errors { get; } = errors;

    public static ValidationFailedException For(string path, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(path, message);
        return new ValidationFailedException(errors);
    }
}
