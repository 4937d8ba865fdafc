using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

public sealed record AclRequest(string? ProjectId, string? Name, string? Description, IReadOnlyList<AclEntry>? Entries)
{
    public const int MaxEntries = 10_000;

    public AclRequest Normalize(ValidationErrors errors)
    {
        var entries = new List<AclEntry>();
        if (Entries is null)
        {
            errors.Add("entries", "is required (it may be an empty list).");
        }
        else if (Entries.Count > MaxEntries)
        {
            errors.Add("entries", $"must hold at most {MaxEntries} entries.");
        }
        else
        {
            for (var i = 0; i < Entries.Count; i++)
            {
                var entry = Entries[i];
                if (entry is null)
                {
                    errors.Add($"entries[{i}]", "must be an object with a cidr.");
                    continue;
                }

                var cidr = Grammar.Cidr(errors, $"entries[{i}].cidr", entry.Cidr);
                var comment = Grammar.Description(errors, $"entries[{i}].comment", entry.Comment);
                if (cidr is not null)
                {
                    entries.Add(new AclEntry(cidr.Value.ToString(), comment));
                }
            }
        }

        return new(
            Grammar.Required(errors, "projectId", ProjectId),
            Grammar.Name(errors, "name", Name),
            Grammar.Description(errors, "description", Description),
            entries);
    }
}

public sealed record AclEntry(string? Cidr, string? Comment);

public sealed record AclResponse(
    string Id,
    string ProjectId,
    string Name,
    string Description,
    IReadOnlyList<AclEntry> Entries,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
