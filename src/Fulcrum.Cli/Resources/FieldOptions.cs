using System.CommandLine;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Connection;

namespace Fulcrum.Cli.Resources;

/// <summary>The flags of one kind's fields, and how their values land in a request.</summary>
public sealed class FieldOptions
{
    private readonly List<(Field Field, Option Option)> _options = [];

    public FieldOptions(ResourceKind kind, Command command, bool required)
    {
        foreach (var field in kind.Fields)
        {
            Option option = field.Type switch
            {
                FieldType.Int => new Option<int?>(field.Flag),
                FieldType.Bool => new Option<bool?>(field.Flag),
                FieldType.StringList or FieldType.ReferenceList or FieldType.AclEntries or FieldType.Conditions or FieldType.HeaderChanges => new Option<string[]>(field.Flag),
                FieldType.IntList => new Option<int[]>(field.Flag),
                _ => new Option<string?>(field.Flag),
            };
            option.Description = field.Description;
            if (field.Type is FieldType.Enum && option is Option<string?> text)
            {
                text.AcceptOnlyFromAmong([.. field.EnumValues]);
            }

            if (required && (field == kind.Parent || (field.Flag == "--name" && kind != Kinds.Backend && kind != Kinds.Node)))
            {
                option.Required = true;
            }

            command.Add(option);
            _options.Add((field, option));
        }
    }

    /// <summary>Writes every flag given into <paramref name="request"/>, resolving names to ids and reading files.</summary>
    public async Task ApplyAsync(ParseResult result, FulcrumClient client, JsonObject request, CancellationToken ct)
    {
        foreach (var (field, option) in _options)
        {
            if (result.GetResult(option) is null)
            {
                continue;
            }

            JsonNode? value = field.Type switch
            {
                FieldType.Int => JsonValue.Create(result.GetValue((Option<int?>)option)),
                FieldType.Bool => JsonValue.Create(result.GetValue((Option<bool?>)option) ?? true),
                FieldType.StringList => new JsonArray([.. result.GetValue((Option<string[]>)option)!.Select(v => JsonValue.Create(v))]),
                FieldType.IntList => new JsonArray([.. result.GetValue((Option<int[]>)option)!.Select(v => JsonValue.Create(v))]),
                FieldType.ReferenceList => new JsonArray([.. await Task.WhenAll(result.GetValue((Option<string[]>)option)!.Select(async v => (JsonNode?)JsonValue.Create(await Resolver.IdAsync(client, field.Refers!, v, ct))))]),
                FieldType.AclEntries => new JsonArray([.. result.GetValue((Option<string[]>)option)!.Select(AclEntry)]),
                FieldType.Conditions => new JsonArray([.. result.GetValue((Option<string[]>)option)!.Select(text => Condition(field.Flag, text))]),
                FieldType.HeaderChanges => new JsonArray([.. result.GetValue((Option<string[]>)option)!.Select(text => HeaderChange(field.Flag, text))]),
                FieldType.File => JsonValue.Create(ReadFile(result.GetValue((Option<string?>)option)!)),
                FieldType.Reference => JsonValue.Create(await Resolver.IdAsync(client, field.Refers!, result.GetValue((Option<string?>)option)!, ct)),
                _ => JsonValue.Create(result.GetValue((Option<string?>)option)),
            };
            Set(request, field.Path, value);
        }
    }

    public static void Set(JsonObject target, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            if (target[part] is not JsonObject child)
            {
                child = [];
                target[part] = child;
            }

            target = child;
        }

        target[parts[^1]] = value;
    }

    private static JsonNode AclEntry(string text)
    {
        var separator = text.IndexOf('=', StringComparison.Ordinal);
        return separator < 0
            ? new JsonObject { ["cidr"] = text }
            : new JsonObject { ["cidr"] = text[..separator], ["comment"] = text[(separator + 1)..] };
    }

    /// <summary>
    /// <c>[!]TYPE[:NAME]OP VALUE</c>: <c>header:X-Env=canary</c>, <c>query:beta^=1</c>, <c>!path^=/public/</c>,
    /// <c>method=GET</c>, <c>source=10.0.0.0/8</c>. The first <c>=</c> ends the operator, so a value may hold more.
    /// The server checks what the parts say.
    /// </summary>
    private static JsonObject Condition(string flag, string text)
    {
        var invert = text.StartsWith('!');
        var rest = invert ? text[1..] : text;
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        var match = equals > 0 ? rest[equals - 1] switch { '^' => "prefix", '$' => "suffix", '*' => "contains", '~' => "regex", _ => "exact" } : null;
        var left = equals < 0 ? "" : rest[..(match == "exact" ? equals : equals - 1)];
        var colon = left.IndexOf(':', StringComparison.Ordinal);
        if (match is null || left.Length == 0 || colon == 0)
        {
            throw new CliException(ExitCodes.Usage, $"{flag} {text}: expected [!]TYPE[:NAME]OP VALUE with OP one of = ^= $= *= ~= (e.g. header:X-Env=canary).");
        }

        var condition = new JsonObject { ["type"] = colon < 0 ? left : left[..colon] };
        if (colon > 0)
        {
            condition["name"] = left[(colon + 1)..];
        }

        condition["match"] = match;
        condition["value"] = rest[(equals + 1)..];
        condition["invert"] = invert;
        return condition;
    }

    /// <summary><c>set:NAME=VALUE</c>, <c>add:NAME=VALUE</c> or <c>remove:NAME</c>.</summary>
    private static JsonObject HeaderChange(string flag, string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var op = colon > 0 ? text[..colon] : "";
        var rest = colon > 0 ? text[(colon + 1)..] : "";
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        if (op is not ("set" or "add" or "remove") || rest.Length == 0 || (op == "remove") != (equals < 0))
        {
            throw new CliException(ExitCodes.Usage, $"{flag} {text}: expected set:NAME=VALUE, add:NAME=VALUE or remove:NAME.");
        }

        return op == "remove"
            ? new JsonObject { ["op"] = op, ["name"] = rest }
            : new JsonObject { ["op"] = op, ["name"] = rest[..equals], ["value"] = rest[(equals + 1)..] };
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Failure, $"cannot read {path}: {e.Message}");
        }
    }
}
