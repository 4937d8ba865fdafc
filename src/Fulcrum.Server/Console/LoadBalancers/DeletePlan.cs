namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>What deleting a load balancer takes with it, to be read before confirming.</summary>
public sealed record DeletePlan(string LoadBalancer, string Vip, IReadOnlyList<string> Listeners, int Rules, IReadOnlyList<(string Group, int Backends)> Groups)
{
    public IEnumerable<string> Lines()
    {
        yield return $"the load balancer {LoadBalancer} and its VIP {Vip} (traffic to it stops)";
        if (Listeners.Count > 0)
        {
            yield return $"{Count(Listeners.Count, "listener")}: {string.Join(", ", Listeners)}";
        }

        if (Rules > 0)
        {
            yield return Count(Rules, "rule");
        }

        foreach (var (group, backends) in Groups)
        {
            yield return $"the backend group {group} with {Count(backends, "backend")}";
        }
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
