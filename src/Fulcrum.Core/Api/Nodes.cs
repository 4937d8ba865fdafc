using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>What an admin may change on an enrolled node; the rest is reported by its agent.</summary>
public sealed record NodeUpdateRequest(string? Name, string? Interface, int? Priority)
{
    public NodeUpdateRequest Normalize(ValidationErrors errors) => new(
        Grammar.Name(errors, "name", Name),
        NodeGrammar.Interface(errors, "interface", Interface),
        NodeGrammar.Priority(errors, "priority", Priority));
}

public static class NodeGrammar
{
    /// <summary>A Linux interface name: at most 15 characters, no '/', white space or ':'.</summary>
    public static string? Interface(ValidationErrors errors, string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(path, "is required.");
            return null;
        }

        if (value.Length <= 15 && value is not ("." or "..") && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return value;
        }

        errors.Add(path, "must be a network interface name: 1-15 letters, digits, '-', '_' or '.'.");
        return null;
    }

    /// <summary>VRRP priority: 255 is reserved for the address owner, 0 for a master giving up.</summary>
    public static int? Priority(ValidationErrors errors, string path, int? value) =>
        Grammar.Range(errors, path, value, 1, 254, required: true);
}

/// <summary>Tool versions as the agent reports them: display text, shown to admins and never rendered into a config.</summary>
public sealed record NodeVersions(string? Agent, string? Haproxy, string? Nginx, string? Keepalived)
{
    public NodeVersions Normalize(ValidationErrors errors, string path) => new(
        Grammar.Name(errors, $"{path}.agent", Agent, required: false),
        Grammar.Name(errors, $"{path}.haproxy", Haproxy, required: false),
        Grammar.Name(errors, $"{path}.nginx", Nginx, required: false),
        Grammar.Name(errors, $"{path}.keepalived", Keepalived, required: false));
}

/// <param name="LastErrorRetried">
/// <paramref name="LastError"/> is a transient failure the node keeps trying again (a reload that timed out), not a
/// refusal of the revision.
/// </param>
/// <param name="Maintenance">
/// An admin put the node in maintenance: it hands the VIPs to the other nodes and takes none until released. Its
/// keepalived reports FAULT meanwhile.
/// </param>
public sealed record NodeResponse(
    string Id,
    string ClusterId,
    string Name,
    string Address,
    string Interface,
    int Priority,
    VrrpState VrrpState,
    long AppliedRevision,
    bool Online,
    DateTimeOffset? LastSeenAt,
    string? LastError,
    NodeVersions Versions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ProcessRestarts>? Restarts = null,
    bool LastErrorRetried = false,
    bool Maintenance = false);
