using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Server.Console.Acls;

/// <summary>One line of an ACL being edited: what the person typed, checked by the same rule the API applies.</summary>
public sealed class AclEntryRow
{
    public string Cidr { get; set; } = "";

    public string Comment { get; set; } = "";

    /// <summary>Why the CIDR would be refused, or null; an empty new line is not an error yet.</summary>
    public string? CidrError()
    {
        if (Cidr.Length == 0)
        {
            return null;
        }

        var errors = new ValidationErrors();
        Grammar.Cidr(errors, "cidr", Cidr.Trim());
        return errors.IsEmpty ? null : string.Join(" ", errors.ToDictionary()["cidr"]);
    }

    public static List<AclEntryRow> From(IEnumerable<AclEntry> entries) =>
        entries.Select(e => new AclEntryRow { Cidr = e.Cidr ?? "", Comment = e.Comment ?? "" }).ToList();

    /// <summary>The entries to send, one per line and in order, so the API's <c>entries[i]</c> errors land on line i.</summary>
    public static List<AclEntry> ToEntries(IEnumerable<AclEntryRow> rows) =>
        rows.Select(r => new AclEntry(r.Cidr.Trim(), r.Comment.Trim().Length == 0 ? null : r.Comment.Trim()))
            .ToList();
}
