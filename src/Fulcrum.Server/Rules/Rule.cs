using Fulcrum.Core.Api;
using Fulcrum.Core.Snapshots;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Rules;

public sealed class Rule : LoadBalancerPart, IWritable<RuleRequest>
{
    public required string ListenerId { get; init; }

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    public int Position { get; set; }

    public required RuleMatch Match { get; set; }

    public required RuleAction Action { get; set; }

    /// <summary>The forward target of <see cref="Action"/>, kept as a column so the database guards the reference.</summary>
    public string? BackendGroupId { get; set; }

    public bool Enabled { get; set; }

    public SnapshotRule ToSnapshot() => new(Id, Match, Action, Enabled);

    /// <summary>The position too: the snapshot holds a listener's rules in evaluation order.</summary>
    public object NodeView() => new { Rule = ToSnapshot(), Position };

    public RuleRequest ToRequest() => new(ListenerId, Name, Description, Position, Match, Action, Enabled);

    public void Apply(RuleRequest spec)
    {
        Name = spec.Name!;
        Description = spec.Description!;
        Position = spec.Position!.Value;
        Match = spec.Match!;
        Action = spec.Action!;
        BackendGroupId = spec.Action!.BackendGroupId;
        Enabled = spec.Enabled!.Value;
    }

    public RuleResponse ToResponse() =>
        new(Id, ListenerId, Name, Description, Position, Match, Action, Enabled, CreatedAt.AsUtc(), UpdatedAt.AsUtc());
}
