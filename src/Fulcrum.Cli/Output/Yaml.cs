using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fulcrum.Cli.Output;

/// <summary>
/// YAML as another spelling of the API's JSON: plain scalars that read as numbers, booleans or null are typed, quoted
/// ones stay strings, and strings that would read otherwise are written quoted, so a tree survives the round trip.
/// </summary>
public static class Yaml
{
    public static string Write(JsonNode? node)
    {
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends every document with an explicit "..." marker, which adds nothing for a single document.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    public static List<JsonNode?> Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new CliException(ExitCodes.Usage, $"not a YAML or JSON document ({e.Start}): {e.Message}");
        }

        return [.. stream.Documents.Select(d => ToJson(d.RootNode))];
    }

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        null => new YamlScalarNode("null"),
        JsonObject obj => new YamlMappingNode(obj.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), ToYaml(p.Value)))),
        JsonArray array => new YamlSequenceNode(array.Select(ToYaml)),
        JsonValue value when value.TryGetValue<string>(out var s) => IsNull(s) || Typed(s) is not null ? new YamlScalarNode(s) { Style = ScalarStyle.DoubleQuoted } : new YamlScalarNode(s),
        _ => new YamlScalarNode(node.ToJsonString()),
    };

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => new KeyValuePair<string, JsonNode?>(((YamlScalarNode)p.Key).Value ?? "", ToJson(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain => IsNull(scalar.Value ?? "") ? null : Typed(scalar.Value!) ?? JsonValue.Create(scalar.Value),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new CliException(ExitCodes.Usage, $"unsupported YAML node at {node.Start}."),
    };

    private static bool IsNull(string text) => text is "null" or "Null" or "NULL" or "~" or "";

    /// <summary>What a plain scalar means when it is neither a string nor null; null for a string.</summary>
    private static JsonValue? Typed(string text) => text switch
    {
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit) => JsonValue.Create(d),
        _ => null,
    };
}
