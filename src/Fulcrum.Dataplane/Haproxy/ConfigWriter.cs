using System.Text;

namespace Fulcrum.Dataplane.Haproxy;

/// <summary>
/// Writes a configuration made of sections (an unindented header line) and their indented lines, each line from
/// words joined by one space. It trusts its words: callers quote every value that did not come from a constant.
/// </summary>
public sealed class ConfigWriter
{
    private const string Indent = "    ";

    private readonly StringBuilder _text = new();

    public void Section(params string[] words)
    {
        if (_text.Length > 0)
        {
            _text.Append('\n');
        }

        _text.AppendJoin(' ', words).Append('\n');
    }

    public void Line(params string[] words) => _text.Append(Indent).AppendJoin(' ', words).Append('\n');

    public override string ToString() => _text.ToString();
}
