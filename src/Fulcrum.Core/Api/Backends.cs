using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// A server behind a backend group. Weight 0 takes no new connections (as does <see cref="BackendAdminState.Drain"/>);
/// a <see cref="Backup"/> backend serves only while every other backend of the group is down.
/// </summary>
public sealed record BackendRequest(
    string? BackendGroupId,
    string? Name,
    string? Address,
    int? Port,
    int? Weight,
    bool? Backup,
    BackendAdminState? AdminState)
{
    public const int DefaultWeight = 1;
    public const int MaxWeight = 256;

    public BackendRequest Normalize(ValidationErrors errors) => new(
        Grammar.Required(errors, "backendGroupId", BackendGroupId),
        Grammar.Name(errors, "name", Name, required: false) ?? "",
        Grammar.IpAddress(errors, "address", Address)?.ToString(),
        Grammar.Port(errors, "port", Port),
        Grammar.Range(errors, "weight", Weight ?? DefaultWeight, 0, MaxWeight),
        Backup ?? false,
        AdminState ?? BackendAdminState.Enabled);
}

public sealed record BackendResponse(
    string Id,
    string BackendGroupId,
    string Name,
    string Address,
    int Port,
    int Weight,
    bool Backup,
    BackendAdminState AdminState,
    BackendHealth Health,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
