using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Fulcrum.Core.Json;
using Fulcrum.Core.Validation;

namespace Fulcrum.Server.Http;

/// <summary>
/// A JSON request body read strictly. Before binding, the JSON is checked against the shape of
/// <typeparamref name="T"/>: every field of the wrong type, every unknown field and every enum value that is not
/// spelled exactly is recorded in <see cref="Errors"/> (and dropped), so that one answer names every bad field —
/// those the shape check finds and those the request's own validation finds afterwards.
/// </summary>
public sealed class Body<T>(T value, ValidationErrors errors) : IBindableFromHttpContext<Body<T>>
    where T : class
{
    public T Value { get; } = value;

    public ValidationErrors Errors { get; } = errors;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "IBindableFromHttpContext requires a static BindAsync.")]
    public static async ValueTask<Body<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the request body as application/json.");
        }

        return Read(await JsonBodies.ParseAsync(context), new ValidationErrors());
    }

    /// <summary>Binds a JSON object strictly, adding its shape errors to <paramref name="errors"/>.</summary>
    internal static Body<T> Read(JsonObject json, ValidationErrors errors)
    {
        JsonShape.CheckObject(json, typeof(T), "", errors);
        try
        {
            return new Body<T>(json.Deserialize<T>(FulcrumJson.Options)!, errors);
        }
        catch (JsonException e)
        {
            errors.Add(e.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "body", "could not be read.");
            throw new ValidationFailedException(errors);
        }
    }
}

/// <summary>
/// A request body that may be left out (an action whose options all have defaults): no body at all reads as
/// <see cref="Body"/> null; one that is sent is read as strictly as <see cref="Body{T}"/>.
/// </summary>
public sealed class OptionalBody<T>(Body<T>? body) : IBindableFromHttpContext<OptionalBody<T>>
    where T : class
{
    public Body<T>? Body { get; } = body;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "IBindableFromHttpContext requires a static BindAsync.")]
    public static async ValueTask<OptionalBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        var empty = request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0 && !request.HasJsonContentType();
        return new OptionalBody<T>(empty ? null : await Body<T>.BindAsync(context, parameter));
    }
}

internal static class JsonBodies
{
    public static async Task<JsonObject> ParseAsync(HttpContext context)
    {
        JsonNode? node;
        try
        {
            // A field given twice would be read as one or the other depending on the reader: refuse it instead.
            var options = new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false };
            node = await JsonNode.ParseAsync(context.Request.Body, documentOptions: options, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw ValidationFailedException.For("body", $"is not valid JSON ({e.Message})");
        }
        catch (InvalidOperationException)
        {
            // Checking for duplicates reads every field name, which fails on invalid UTF-8 or an unpaired surrogate.
            throw ValidationFailedException.For("body", "holds a field name that is not valid Unicode text.");
        }

        return node as JsonObject ?? throw ValidationFailedException.For("body", "must be a JSON object.");
    }
}

internal static class JsonShape
{
    /// <summary>The most fields an object of any request may hold; the largest request type has a few dozen.</summary>
    public const int MaxFieldsPerObject = 100;

    private const int MaxReportedNameLength = 64;
    private const string NotText = "must be valid Unicode text (no invalid UTF-8, no unpaired surrogate escape such as \\ud800).";
    private static readonly ConcurrentDictionary<Type, string[]> EnumNames = new();

    public static void CheckObject(JsonObject json, Type type, string prefix, ValidationErrors errors)
    {
        var at = prefix.Length == 0 ? "body" : prefix;
        var properties = FulcrumJson.Options.GetTypeInfo(type).Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        List<KeyValuePair<string, JsonNode?>> members;
        try
        {
            members = json.ToList();
        }
        catch (InvalidOperationException)
        {
            // The parser lets invalid UTF-8 through and fails only when a name is read.
            errors.AddFinal(at, "holds a field name that is not valid Unicode text.");
            throw new ValidationFailedException(errors);
        }

        if (members.Count > MaxFieldsPerObject)
        {
            // Refused before a single field is checked: a hostile body costs what parsing it costs, and no more.
            errors.AddFinal(at, $"holds {members.Count} fields; an object may hold at most {MaxFieldsPerObject}.");
            throw new ValidationFailedException(errors);
        }

        var dropped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in members)
        {
            var shown = name.Length > MaxReportedNameLength ? name[..MaxReportedNameLength] + "…" : name;
            var path = prefix.Length == 0 ? shown : $"{prefix}.{shown}";
            if (!properties.TryGetValue(name, out var property))
            {
                var near = properties.Keys.FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
                errors.AddFinal(path, near is null ? "is not a field of this resource." : $"is not a field of this resource; did you mean '{near}'?");
                dropped.Add(name);
            }
            else if (!Fits(value, property.PropertyType, path, errors))
            {
                dropped.Add(name);
            }
        }

        if (dropped.Count > 0)
        {
            // One pass that keeps the good fields: removing fields one by one shifts the rest each time.
            var kept = members.Where(member => !dropped.Contains(member.Key)).ToList();
            json.Clear();
            foreach (var (name, value) in kept)
            {
                json.Add(name, value);
            }
        }
    }

    private static bool Fits(JsonNode? node, Type type, string path, ValidationErrors errors)
    {
        if (node is null)
        {
            return true;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        var problem = type switch
        {
            _ when Kind(node) == JsonValueKind.String && TextProblem(node) is { } text => text,
            _ when type == typeof(string) => Kind(node) == JsonValueKind.String ? null : "must be a string.",
            _ when type == typeof(bool) => Kind(node) is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false.",
            _ when type == typeof(int) => Element(node) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out _)
                ? null : "must be a whole number (a JSON integer).",
            _ when type == typeof(long) => Element(node) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out _)
                ? null : "must be a whole number (a JSON integer).",
            _ when type == typeof(DateTimeOffset) => Element(node) is { ValueKind: JsonValueKind.String } d && d.TryGetDateTimeOffset(out _)
                ? null : "must be an ISO 8601 date and time, such as 2030-01-31T12:00:00Z.",
            _ when type.IsEnum => CheckEnum(node, type),
            _ when ListElementType(type) is { } element => CheckList(node, element, path, errors),
            _ => CheckNested(node, type, path, errors),
        };

        if (problem is not null)
        {
            errors.AddFinal(path, problem);
        }

        return problem is null;
    }

    private static string? CheckEnum(JsonNode node, Type type)
    {
        var names = EnumNames.GetOrAdd(type, NamesOf);
        return Kind(node) == JsonValueKind.String && names.Contains(node.GetValue<string>(), StringComparer.Ordinal)
            ? null
            : $"must be one of: {string.Join(", ", names)}.";
    }

    private static string? CheckList(JsonNode node, Type element, string path, ValidationErrors errors)
    {
        if (node is not JsonArray array)
        {
            return "must be an array.";
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (!Fits(array[i], element, $"{path}[{i}]", errors))
            {
                array[i] = null;
            }
        }

        return null;
    }

    private static string? CheckNested(JsonNode node, Type type, string path, ValidationErrors errors)
    {
        if (node is not JsonObject json)
        {
            return "must be an object.";
        }

        CheckObject(json, type, path, errors);
        return null;
    }

    private static JsonValueKind Kind(JsonNode node) => node.GetValueKind();

    /// <summary>
    /// Why a JSON string cannot be kept as text: invalid UTF-8 and escaped unpaired surrogates cannot be read at all,
    /// and PostgreSQL cannot hold NUL in text, not even to look an id up.
    /// </summary>
    private static string? TextProblem(JsonNode node)
    {
        try
        {
            return node.GetValue<string>().Contains('\0', StringComparison.Ordinal) ? "must not contain NUL (U+0000)." : null;
        }
        catch (InvalidOperationException)
        {
            return NotText;
        }
    }

    private static JsonElement? Element(JsonNode node) => node is JsonValue value && value.TryGetValue<JsonElement>(out var element) ? element : null;

    private static Type? ListElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(List<>) || definition == typeof(IList<>))
            ? type.GetGenericArguments()[0]
            : null;

    private static string[] NamesOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name))
            .ToArray();
}
