using System.Globalization;
using System.Text.RegularExpressions;

namespace Fulcrum.Core.Validation;

/// <summary>
/// The regular expressions a rule condition may use: a subset that .NET and haproxy's PCRE read the same way and that
/// cannot backtrack catastrophically. Allowed: literals (printable ASCII; the metacharacters <c>.^$|?*+()[]{}\</c>
/// escaped with a backslash), <c>.</c>, the anchors <c>^</c> and <c>$</c>, <c>\d \D \w \W \s \S \b \B</c>,
/// classes <c>[a-z0-9_\-]</c> and <c>[^…]</c> (a literal '-' escaped), groups <c>(…)</c> and <c>(?:…)</c>,
/// alternation <c>|</c>, and the quantifiers <c>* + ? {n} {n,} {n,m}</c> (n, m at most
/// <see cref="MaxRepeat"/>), each optionally lazy. Refused: backreferences, lookaround, named groups, inline options,
/// Unicode and hex escapes, POSIX classes, a quantifier on a group that itself holds a quantifier (<c>(a+)+</c>),
/// quotes, and a '%' that does not start a %XX escape.
/// </summary>
public static class SafeRegex
{
    public const int MaxLength = 256;
    public const int MaxRepeat = 255;

    private const string Metacharacters = @".^$|?*+()[]{}\";

    /// <summary>The pattern, or null with the error recorded under <paramref name="path"/>.</summary>
    public static string? Check(ValidationErrors errors, string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(path, "is required.");
            return null;
        }

        if (value.Length > MaxLength)
        {
            errors.Add(path, $"must be at most {MaxLength} characters.");
            return null;
        }

        if (Problem(value) is { } problem)
        {
            errors.Add(path, $"must be a regular expression of Fulcrum's safe subset: {problem}.");
            return null;
        }

        return value;
    }

    /// <summary>What makes the pattern fall outside the subset, or null when it is inside.</summary>
    public static string? Problem(string pattern)
    {
        foreach (var c in pattern)
        {
            if (c is < ' ' or > '~')
            {
                return $"U+{(int)c:X4} is not a printable ASCII character";
            }

            if (c is '\'' or '"')
            {
                return "quotes are not allowed (match a quote with '.')";
            }
        }

        var parser = new Parser(pattern);
        var problem = parser.Parse();
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.ECMAScript | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return "it does not compile";
        }

        return null;
    }

    /// <summary>A recursive-descent reader of the subset; each method returns a problem or null.</summary>
    private sealed class Parser(string pattern)
    {
        private int _at;

        public string? Parse()
        {
            var problem = Alternation(out _);
            if (problem is null && _at < pattern.Length)
            {
                problem = pattern[_at] == ')' ? "a ')' has no matching '('" : $"unexpected '{pattern[_at]}' at {Position}";
            }

            return problem;
        }

        private string Position => (_at + 1).ToString(CultureInfo.InvariantCulture);

        private bool AtEnd => _at >= pattern.Length;

        private char Current => pattern[_at];

        private string? Alternation(out bool quantified)
        {
            quantified = false;
            while (true)
            {
                var problem = Sequence(out var inner);
                if (problem is not null)
                {
                    return problem;
                }

                quantified |= inner;
                if (AtEnd || Current != '|')
                {
                    return null;
                }

                _at++;
            }
        }

        private string? Sequence(out bool quantified)
        {
            quantified = false;
            while (!AtEnd && Current is not ('|' or ')'))
            {
                var problem = Atom(out var anchor, out var innerQuantified);
                if (problem is not null)
                {
                    return problem;
                }

                quantified |= innerQuantified;
                if (!AtEnd && Current is '*' or '+' or '?' or '{')
                {
                    if (anchor)
                    {
                        return $"an anchor cannot be repeated (at {Position})";
                    }

                    if (innerQuantified)
                    {
                        return $"a repeated group cannot itself hold a repetition (at {Position})";
                    }

                    problem = Quantifier();
                    if (problem is not null)
                    {
                        return problem;
                    }

                    quantified = true;
                }
            }

            return null;
        }

        private string? Atom(out bool anchor, out bool quantified)
        {
            anchor = false;
            quantified = false;
            var c = Current;
            switch (c)
            {
                case '(':
                    _at++;
                    if (!AtEnd && Current == '?')
                    {
                        if (_at + 1 < pattern.Length && pattern[_at + 1] == ':')
                        {
                            _at += 2;
                        }
                        else
                        {
                            return $"only (?:…) groups are allowed, no lookaround, named groups or options (at {Position})";
                        }
                    }

                    var problem = Alternation(out quantified);
                    if (problem is not null)
                    {
                        return problem;
                    }

                    if (AtEnd)
                    {
                        return "a '(' is not closed";
                    }

                    _at++;
                    return null;
                case '[':
                    return Class();
                case '^' or '$':
                    anchor = true;
                    _at++;
                    return null;
                case '\\':
                    return Escape(inClass: false, out anchor);
                case '.':
                    _at++;
                    return null;
                case '%':
                    return Percent();
                case '*' or '+' or '?' or '{':
                    return $"'{c}' has nothing to repeat (at {Position})";
                case ']' or '}':
                    return $"a literal '{c}' must be escaped (at {Position})";
                default:
                    _at++;
                    return null;
            }
        }

        private string? Escape(bool inClass, out bool anchor)
        {
            anchor = false;
            if (_at + 1 >= pattern.Length)
            {
                return "the pattern ends with a lone '\\'";
            }

            var next = pattern[_at + 1];
            if (next is 'd' or 'D' or 'w' or 'W' or 's' or 'S' || Metacharacters.Contains(next, StringComparison.Ordinal) || next is '-' or '/')
            {
                _at += 2;
                return null;
            }

            if (!inClass && next is 'b' or 'B')
            {
                anchor = true;
                _at += 2;
                return null;
            }

            return char.IsAsciiDigit(next) || next == 'k'
                ? $"backreferences are not allowed (at {Position})"
                : $"'\\{next}' is not an allowed escape (at {Position})";
        }

        private string? Class()
        {
            _at++;
            if (!AtEnd && Current == '^')
            {
                _at++;
            }

            var items = 0;
            while (!AtEnd && Current != ']')
            {
                var problem = ClassCharacter(out var low, out var isSet);
                if (problem is not null)
                {
                    return problem;
                }

                if (!AtEnd && Current == '-' && !isSet)
                {
                    _at++;
                    if (AtEnd || Current == ']')
                    {
                        return $"a literal '-' in a class must be escaped (at {Position})";
                    }

                    problem = ClassCharacter(out var high, out var highIsSet);
                    if (problem is not null)
                    {
                        return problem;
                    }

                    if (highIsSet || high < low)
                    {
                        return $"a class range must go from a lower to a higher character (at {Position})";
                    }
                }

                items++;
            }

            if (AtEnd)
            {
                return "a '[' is not closed";
            }

            if (items == 0)
            {
                return $"a class cannot be empty (at {Position})";
            }

            _at++;
            return null;
        }

        private string? ClassCharacter(out char value, out bool isSet)
        {
            value = Current;
            isSet = false;
            switch (Current)
            {
                case '\\':
                    if (_at + 1 < pattern.Length)
                    {
                        value = pattern[_at + 1];
                        isSet = value is 'd' or 'D' or 'w' or 'W' or 's' or 'S';
                    }

                    return Escape(inClass: true, out _);
                case '[':
                    return $"a literal '[' in a class must be escaped (at {Position})";
                case '-':
                    return $"a literal '-' in a class must be escaped (at {Position})";
                case '%':
                    return Percent();
                default:
                    _at++;
                    return null;
            }
        }

        private string? Percent()
        {
            if (_at + 2 < pattern.Length && char.IsAsciiHexDigit(pattern[_at + 1]) && char.IsAsciiHexDigit(pattern[_at + 2]))
            {
                _at += 3;
                return null;
            }

            return $"a '%' must start a %XX escape (at {Position})";
        }

        private string? Quantifier()
        {
            if (Current == '{')
            {
                var close = pattern.IndexOf('}', _at);
                var body = close < 0 ? "" : pattern[(_at + 1)..close];
                var parts = body.Split(',');
                if (close < 0 || parts.Length > 2 || !Bound(parts[0], out var min)
                    || (parts.Length == 2 && parts[1].Length > 0 && (!Bound(parts[1], out var max) || max < min)))
                {
                    return $"a repetition is {{n}}, {{n,}} or {{n,m}} with 0 <= n <= m <= {MaxRepeat} (at {Position})";
                }

                _at = close + 1;
            }
            else
            {
                _at++;
            }

            if (!AtEnd && Current == '?')
            {
                _at++;
            }

            if (!AtEnd && Current is '*' or '+' or '{')
            {
                return $"a repetition cannot be repeated (at {Position})";
            }

            return null;
        }

        private static bool Bound(string text, out int value)
        {
            value = 0;
            return text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= MaxRepeat;
        }
    }
}
