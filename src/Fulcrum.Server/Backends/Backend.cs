using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Backends;

public sealed class Backend : LoadBalancerPart, IWritable<BackendRequest>
{
    public required string BackendGroupId { get; init; }

    public string Name { get; set; } = "";

    public required string Address { get; set; }

    public int Port { get; set; }

    public int Weight { get; set; }

    public bool Backup { get; set; }

    public BackendAdminState AdminState { get; set; }

    /// <summary>As last reported by the cluster's MASTER node.</summary>
    public BackendHealth Health { get; set; }

    public SnapshotBackend ToSnapshot() => new(Id, Address, Port, Weight, Backup, AdminState);

    public object NodeView() => ToSnapshot();

    public BackendRequest ToRequest() => new(BackendGroupId, Name, Address, Port, Weight, Backup, AdminState);

    public void Apply(BackendRequest spec)
    {
        Name = spec.Name!;
        Address = spec.Address!;
        Port = spec.Port!.Value;
        Weight = spec.Weight!.Value;
        Backup = spec.Backup!.Value;
        AdminState = spec.AdminState!.Value;
    }

    public BackendResponse ToResponse() => new(
        Id, BackendGroupId, Name, Address, Port, Weight, Backup, AdminState, Health, CreatedAt.AsUtc(), UpdatedAt.AsUtc());
}
