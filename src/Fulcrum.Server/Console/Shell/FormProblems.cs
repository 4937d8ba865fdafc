using Fulcrum.Core.Validation;
using Fulcrum.Server.Http;

namespace Fulcrum.Server.Console.Shell;

/// <summary>
/// What an operation refused, for a form: a sentence for the top of the form and each field's messages by its
/// request path (<c>vrrp.virtualRouterId</c>, <c>vipPools[2]</c>), the same paths the REST API's problem details name.
/// </summary>
public sealed class FormProblems
{
    public static readonly FormProblems None = new(null, new Dictionary<string, string[]>());

    private readonly IReadOnlyDictionary<string, string[]> _fields;

    private FormProblems(string? summary, IReadOnlyDictionary<string, string[]> fields)
    {
        Summary = summary;
        _fields = fields;
    }

    public string? Summary { get; }

    public bool Any => Summary is not null;

    public int Status { get; private init; }

    /// <summary>The problem of a refused operation; any other exception is a bug and is not caught here.</summary>
    public static bool TryFrom(Exception exception, out FormProblems problems)
    {
        problems = exception switch
        {
            ValidationFailedException invalid => new("Some fields need a change: see the messages next to them.", invalid.Errors.ToDictionary()) { Status = 400 },
            ProblemException problem => new(Words(problem), new Dictionary<string, string[]>()) { Status = problem.Status },
            _ => None,
        };
        return problems != None;
    }

    /// <summary>The messages of the field at <paramref name="path"/> and of everything below it (<c>vrrp</c> holds <c>vrrp.virtualRouterId</c>).</summary>
    public string? For(string path)
    {
        var messages = _fields
            .Where(f => f.Key == path || f.Key.StartsWith(path + ".", StringComparison.Ordinal) || f.Key.StartsWith(path + "[", StringComparison.Ordinal))
            .SelectMany(f => f.Value.Select(m => f.Key == path ? m : $"{Item(f.Key[path.Length..])}{m}"))
            .ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>Messages for fields no form field claims, so that none is lost.</summary>
    public IEnumerable<string> Except(params string[] paths) =>
        _fields.Where(f => !paths.Any(p => f.Key == p || f.Key.StartsWith(p + ".", StringComparison.Ordinal) || f.Key.StartsWith(p + "[", StringComparison.Ordinal)))
            .SelectMany(f => f.Value.Select(m => $"{f.Key}: {m}"));

    /// <summary>"[2]" is the third line of a one-per-line field; deeper paths are named as they are.</summary>
    private static string Item(string rest) =>
        rest.StartsWith('[') && rest.IndexOf(']', StringComparison.Ordinal) == rest.Length - 1 && int.TryParse(rest[1..^1], out var index)
            ? $"Line {index + 1}: "
            : $"{rest.TrimStart('.')}: ";

    private static string Words(ProblemException problem) => problem.Status switch
    {
        403 => $"Not allowed: {problem.Message}",
        404 => $"Not found: {problem.Message} It may have been deleted meanwhile.",
        409 => $"Not possible now: {problem.Message}",
        412 => "Someone changed this since you opened it. Reload the page to see their change, then make yours again.",
        _ => problem.Message,
    };
}
