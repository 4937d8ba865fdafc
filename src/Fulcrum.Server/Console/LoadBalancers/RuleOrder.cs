using Fulcrum.Core.Api;

namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>Moving a rule up or down: rules are matched in position order, so the order shown is the order applied.</summary>
public static class RuleOrder
{
    /// <summary>Room between positions, so a rule added later can go between two without renumbering.</summary>
    public const int Gap = 10;

    /// <summary>
    /// The rules whose position must change for the one at <paramref name="index"/> to move by <paramref name="delta"/>,
    /// with their new positions: the list is renumbered 10, 20, 30 … and only the rules that end up elsewhere are
    /// written. Empty when the move goes past either end.
    /// </summary>
    public static IReadOnlyList<(RuleResponse Rule, int Position)> Move(IReadOnlyList<RuleResponse> ordered, int index, int delta)
    {
        var target = index + delta;
        if (index < 0 || index >= ordered.Count || target < 0 || target >= ordered.Count || delta == 0)
        {
            return [];
        }

        var order = ordered.ToList();
        var moved = order[index];
        order.RemoveAt(index);
        order.Insert(target, moved);
        return order.Select((rule, i) => (rule, Position: (i + 1) * Gap)).Where(r => r.rule.Position != r.Position).ToList();
    }
}
