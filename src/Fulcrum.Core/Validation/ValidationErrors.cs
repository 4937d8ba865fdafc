namespace Fulcrum.Core.Validation;

/// <summary>
/// Every problem found in one request, keyed by the JSON path of the field (<c>healthCheck.http.path</c>,
/// <c>entries[2].cidr</c>). Validation never stops at the first error: a user fixes a request in one go. Every
/// operation costs the length of one path, never the number of errors so far, so a request with thousands of bad
/// entries is checked in linear time; an answer lists the first <see cref="MaxListed"/> fields and counts the rest.
/// </summary>
public sealed class ValidationErrors
{
    public const int MaxListed = 100;

    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _final = new(StringComparer.Ordinal);

    // Every path with an error and every path above one (entries, entries[2], entries[2].cidr), for Has.
    private readonly HashSet<string> _covered = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>How many fields have an error, listed or not.</summary>
    public int Count => _errors.Count;

    /// <summary>How many fields with an error <see cref="ToDictionary"/> leaves out.</summary>
    public int Unlisted => Math.Max(0, _errors.Count - MaxListed);

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
            Cover(path);
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

    /// <summary>Takes every error of a part of a larger request, its paths put under <paramref name="prefix"/> (<c>listeners[0]</c>).</summary>
    public void AddAll(string prefix, ValidationErrors part)
    {
        foreach (var (path, messages) in part._errors)
        {
            foreach (var message in messages)
            {
                Add(prefix.Length == 0 ? path : path.StartsWith('[') ? prefix + path : $"{prefix}.{path}", message);
            }
        }
    }

    /// <summary>True when the field or anything below it already has an error.</summary>
    public bool Has(string path) => _covered.Contains(path);

    /// <summary>The first <see cref="MaxListed"/> fields with an error, in path order.</summary>
    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.Take(MaxListed).ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw new ValidationFailedException(this);
        }
    }

    private void Cover(string path)
    {
        _covered.Add(path);
        for (var i = path.Length - 1; i > 0; i--)
        {
            if (path[i] is '.' or '[')
            {
                _covered.Add(path[..i]);
            }
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
