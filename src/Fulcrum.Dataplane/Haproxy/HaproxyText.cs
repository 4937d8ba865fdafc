using System.Globalization;
using System.Text;

namespace Fulcrum.Dataplane.Haproxy;

/// <summary>
/// The escaping layers of haproxy 2.6's configuration language. A value from a snapshot is first re-validated with
/// the Core grammars; these are the second line of defence, so that even a value that slipped past a grammar can
/// neither end a word, start a comment, expand a variable nor end a line.
/// </summary>
public static class HaproxyText
{
    /// <summary>
    /// One configuration word in single quotes, where haproxy interprets nothing: not <c>#</c>, <c>$</c> nor
    /// <c>\</c>. A single quote closes the quoted part, is written escaped (<c>\'</c>) and the quote reopens; haproxy
    /// joins the adjacent parts into one word, as a shell does.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty or holds a character that a line cannot carry.</exception>
    public static string Quote(string value)
    {
        RequirePrintableAscii(value, nameof(value));
        return "'" + value.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// Literal text inside a log-format string (redirect locations, header values), where <c>%</c> starts a
    /// variable: it is doubled. The result still has to be <see cref="Quote">quoted</see> as a word.
    /// </summary>
    public static string LogFormatLiteral(string value)
    {
        RequirePrintableAscii(value, nameof(value));
        return value.Replace("%", "%%", StringComparison.Ordinal);
    }

    /// <summary>
    /// A string argument of a sample fetch such as <c>req.cook(…)</c>: the argument parser takes a backslash as an
    /// escape for quotes and backslashes, and cannot carry <c>,</c>, <c>(</c> or <c>)</c> at all (they end the
    /// argument). The result still has to be <see cref="Quote">quoted</see> as a word.
    /// </summary>
    /// <exception cref="ArgumentException">The value holds a character the argument parser cannot carry.</exception>
    public static string SampleArgument(string value)
    {
        RequirePrintableAscii(value, nameof(value));
        if (value.AsSpan().IndexOfAny(",() ") >= 0)
        {
            throw new ArgumentException("A sample fetch argument cannot hold ',', '(', ')' or a space.", nameof(value));
        }

        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or '\'' or '"')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>A duration in the largest of haproxy's units that expresses it exactly: <c>1h</c>, <c>30m</c>, <c>90s</c>, <c>1500ms</c>.</summary>
    public static string Duration(int milliseconds) => milliseconds switch
    {
        > 0 when milliseconds % 3_600_000 == 0 => Number(milliseconds / 3_600_000) + "h",
        > 0 when milliseconds % 60_000 == 0 => Number(milliseconds / 60_000) + "m",
        _ when milliseconds % 1000 == 0 => Number(milliseconds / 1000) + "s",
        _ => Number(milliseconds) + "ms",
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void RequirePrintableAscii(string value, string parameter)
    {
        if (value.Length == 0)
        {
            throw new ArgumentException("An empty value cannot be written as a configuration word.", parameter);
        }

        foreach (var c in value)
        {
            // Control characters end or corrupt a line; anything beyond ASCII (bidi overrides, zero-width
            // characters) would make the file read differently to a person than to haproxy.
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException($"U+{(int)c:X4} cannot be written into haproxy's configuration.", parameter);
            }
        }
    }
}
