using System.Globalization;

namespace Fulcrum.Core.Validation;

/// <summary>Expected HTTP status codes of a health check: <c>200</c>, <c>200,204</c>, <c>200-399</c> or a mix.</summary>
public static class ExpectedCodes
{
    public static string? Normalize(ValidationErrors errors, string path, string value)
    {
        var parts = value.Split(',');
        var normalized = new List<string>();
        foreach (var part in parts)
        {
            var bounds = part.Split('-');
            if (parts.Length > 20 || bounds.Length > 2 || !bounds.All(IsCode) || (bounds.Length == 2 && Parse(bounds[0]) > Parse(bounds[1])))
            {
                errors.Add(path, "must be status codes 100-599 separated by commas, or ranges such as 200-399.");
                return null;
            }

            normalized.Add(part);
        }

        return string.Join(',', normalized);
    }

    private static bool IsCode(string text) => text.Length == 3 && text.All(char.IsAsciiDigit) && Parse(text) is >= 100 and <= 599;

    private static int Parse(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
