using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fulcrum.Cli.Resources;
using Spectre.Console;

namespace Fulcrum.Cli.Output;

/// <summary>Tables for people, JSON or YAML for scripts; only ever on stdout.</summary>
public sealed class Renderer(TextWriter writer, OutputFormat format)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public OutputFormat Format { get; } = format;

    public void Items(ResourceKind kind, IReadOnlyList<JsonObject> items)
    {
        if (Format is OutputFormat.Table)
        {
            Table([.. kind.Columns.Select(c => c.Header)], items.Select(i => kind.Columns.Select(c => Text(Value(i, c.Path))).ToList()).ToList());
        }
        else
        {
            Structured(new JsonArray([.. items.Select(i => i.DeepClone())]));
        }
    }

    public void Item(JsonObject item)
    {
        if (Format is OutputFormat.Table)
        {
            Table(["FIELD", "VALUE"], Flatten(item, "").Select(p => new List<string> { p.Key, p.Value }).ToList());
        }
        else
        {
            Structured(item);
        }
    }

    public void Structured(JsonNode node)
    {
        if (Format is OutputFormat.Yaml)
        {
            writer.Write(Yaml.Write(node));
        }
        else
        {
            writer.WriteLine(node.ToJsonString(Indented));
        }
    }

    public void Line(string text) => writer.WriteLine(text);

    /// <summary>A sentence for people, or the same facts as data with -o json and -o yaml.</summary>
    public void Message(string text, JsonObject data)
    {
        if (Format is OutputFormat.Table)
        {
            Line(text);
        }
        else
        {
            Structured(data);
        }
    }

    /// <summary>A tree for people (a load balancer's status); with -o json or -o yaml the data is written instead.</summary>
    public void Tree(TreeItem root)
    {
        var tree = new Tree(new Text(root.Text));
        Add(tree, root.Children);
        PlainConsole().Write(tree);

        static void Add(IHasTreeNodes parent, IReadOnlyList<TreeItem> children)
        {
            foreach (var child in children)
            {
                Add(parent.AddNode(new Text(child.Text)), child.Children);
            }
        }
    }

    public void Table(IReadOnlyList<string> headers, IReadOnlyList<List<string>> rows)
    {
        var console = PlainConsole();
        var table = new Table().Border(TableBorder.None);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)).NoWrap().PadLeft(0).PadRight(3));
        }

        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(v => new Text(v))]);
        }

        console.Write(table);
    }

    private IAnsiConsole PlainConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        // Rows are never wrapped: a script may cut columns, and a wide terminal is the reader's to have.
        console.Profile.Width = 4096;
        return console;
    }

    public static JsonNode? Value(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = part == "length" && node is JsonArray array ? JsonValue.Create(array.Count) : (node as JsonObject)?[part];
        }

        return node;
    }

    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray array => string.Join(",", array.Select(Text)),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static IEnumerable<KeyValuePair<string, string>> Flatten(JsonNode? node, string prefix) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Flatten(p.Value, prefix.Length == 0 ? p.Key : $"{prefix}.{p.Key}")),
        JsonArray array when array.Any(i => i is JsonObject) => array.SelectMany((item, i) => Flatten(item, $"{prefix}[{i}]")),
        _ => [new(prefix, Text(node))],
    };
}

/// <summary>A line of a tree and the lines under it.</summary>
public sealed record TreeItem(string Text, IReadOnlyList<TreeItem> Children);

