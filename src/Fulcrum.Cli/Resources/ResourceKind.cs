using System.Text.Json;
using Fulcrum.Core.Json;

namespace Fulcrum.Cli.Resources;

public enum FieldType
{
    String,
    Int,
    Bool,
    Enum,
    StringList,
    IntList,
    /// <summary>A file's content: the flag names the file.</summary>
    File,
    /// <summary>Another resource by name or id; the id is sent.</summary>
    Reference,
    ReferenceList,
    /// <summary>ACL entries as CIDR or CIDR=comment.</summary>
    AclEntries,
    /// <summary>Rule conditions as [!]TYPE[:NAME]OP VALUE, OP one of = ^= $= *= ~= (exact, prefix, suffix, contains, regex).</summary>
    Conditions,
    /// <summary>Header changes as set:NAME=VALUE, add:NAME=VALUE or remove:NAME.</summary>
    HeaderChanges,
}

/// <summary>One flag of create and update, and where its value goes in the request (a dotted JSON path).</summary>
public sealed record Field(string Flag, string Path, FieldType Type, string Description, string? Refers = null, Type? Enum = null)
{
    public IReadOnlyList<string> EnumValues => Enum is null
        ? []
        : [.. System.Enum.GetValues(Enum).Cast<object>().Select(v => JsonSerializer.Serialize(v, Enum, FulcrumJson.Options).Trim('"'))];
}

/// <summary>A table column: its header and the dotted JSON path of its value.</summary>
public sealed record Column(string Header, string Path);

/// <summary>
/// One kind of resource of the API: where it lives, the request record whose fields a PUT takes, the flags of
/// create and update, the columns of its table, and the parent a list may be narrowed to.
/// </summary>
public sealed record ResourceKind(
    string Name,
    string Title,
    IReadOnlyList<string> Aliases,
    string Path,
    Type Request,
    IReadOnlyList<Field> Fields,
    IReadOnlyList<Column> Columns,
    Field? Parent = null,
    bool CanCreate = true,
    bool CanUpdate = true)
{
    /// <summary>The fields a PUT accepts, camelCase, taken from the request record so that they cannot drift from the server's.</summary>
    public IReadOnlyList<string> RequestFields { get; } =
        [.. Request.GetConstructors().Single().GetParameters().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!))];
}
