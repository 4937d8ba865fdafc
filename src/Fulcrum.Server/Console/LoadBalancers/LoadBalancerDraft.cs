using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Server.Console.LoadBalancers;

/// <summary>
/// What the guided create flow collects, step by step, for one load balancer with one listener, one backend group
/// and its backends. Each step is checked by the API's own rules before moving on, and every error is keyed by its
/// path in the whole-tree request (<c>listeners[0].port</c>), the same path the API names when it refuses the tree:
/// so an error found here and one found by the server land on the same field.
/// </summary>
public sealed class LoadBalancerDraft
{
    public const int DetailsStep = 0;
    public const int ListenerStep = 1;
    public const int BackendsStep = 2;
    public const int ReviewStep = 3;

    public const string ListenerPath = "listeners[0].";
    public const string Group = "backendGroups[0].";

    // Stand-ins for the ids the tree create assigns, so that a step's check does not ask for them.
    private const string PendingId = "pending";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public string? ClusterId { get; set; }

    /// <summary>Empty: the cluster's VIP pool gives one.</summary>
    public string Vip { get; set; } = "";

    public ListenerDraft Listener { get; } = new();

    public string GroupName { get; set; } = "web";

    public List<BackendDraft> Backends { get; } = [new()];

    /// <summary>Which step shows the field at this path of the tree request; paths of no step go to the review.</summary>
    public static int StepOf(string path) =>
        path.StartsWith("listeners", StringComparison.Ordinal) ? ListenerStep
        : path.StartsWith("backendGroups", StringComparison.Ordinal) ? BackendsStep
        : path is "name" or "description" or "clusterId" or "vip" or "vipPrefixLength" ? DetailsStep
        : ReviewStep;

    public LoadBalancerRequest ToLoadBalancerRequest(string projectId) =>
        new(projectId, ClusterId, Name.Trim(), Blank(Description), Blank(Vip), null, null);

    /// <summary>The listener, pointing at <paramref name="backendGroupId"/>; the options the protocol has no use for are left out.</summary>
    public ListenerRequest ToListenerRequest(string loadBalancerId, string? backendGroupId) => Listener.ToRequest(loadBalancerId, backendGroupId);

    public BackendGroupRequest ToBackendGroupRequest(string loadBalancerId) => new(loadBalancerId, GroupName.Trim(), null);

    public BackendRequest ToBackendRequest(int index, string backendGroupId) => Backends[index].ToRequest(backendGroupId);

    /// <summary>The whole load balancer as one request: the group its listener forwards to is named in the tree.</summary>
    public LoadBalancerTreeRequest ToTreeRequest(string projectId)
    {
        var lb = ToLoadBalancerRequest(projectId);
        var group = ToBackendGroupRequest(PendingId);
        return new LoadBalancerTreeRequest(
            lb.ProjectId,
            lb.ClusterId,
            lb.Name,
            lb.Description,
            lb.Vip,
            lb.VipPrefixLength,
            lb.Enabled,
            [new BackendGroupTreeRequest(group.Name, group.Description, [.. Backends.Select((_, i) => BackendTreeRequest.From(ToBackendRequest(i, PendingId)))])],
            [ListenerTreeRequest.From(ToListenerRequest(PendingId, null), group.Name)]);
    }

    /// <summary>The API's objections to what a step holds, keyed by tree path; empty when the step may be left.</summary>
    public IReadOnlyDictionary<string, string[]> Check(int step)
    {
        var found = new Dictionary<string, string[]>(StringComparer.Ordinal);
        switch (step)
        {
            case DetailsStep:
                Collect(found, "", errors => ToLoadBalancerRequest(PendingId).Normalize(errors));
                if (ClusterId is null)
                {
                    found["clusterId"] = ["Pick the cluster whose nodes will serve this load balancer."];
                }

                break;
            case ListenerStep:
                Collect(found, ListenerPath, errors => ToListenerRequest(PendingId, PendingId).Normalize(errors));
                break;
            case BackendsStep:
                Collect(found, Group, errors => ToBackendGroupRequest(PendingId).Normalize(errors));
                for (var i = 0; i < Backends.Count; i++)
                {
                    var index = i;
                    Collect(found, $"{Group}backends[{index}].", errors => ToBackendRequest(index, PendingId).Normalize(errors));
                }

                if (Backends.Count == 0)
                {
                    found[$"{Group}backends"] = ["Add at least one backend: the servers that answer this load balancer's traffic."];
                }

                break;
        }

        return found;
    }

    private static void Collect(Dictionary<string, string[]> found, string prefix, Action<ValidationErrors> check)
    {
        var errors = new ValidationErrors();
        check(errors);
        foreach (var (path, messages) in errors.ToDictionary())
        {
            found[prefix + path] = messages;
        }
    }

    private static string? Blank(string text) => text.Trim().Length == 0 ? null : text.Trim();
}

/// <summary>One backend of the draft.</summary>
public sealed class BackendDraft
{
    public string Address { get; set; } = "";

    public int? Port { get; set; } = 8080;

    public int? Weight { get; set; } = BackendRequest.DefaultWeight;

    public bool Backup { get; set; }

    public BackendRequest ToRequest(string backendGroupId) => new(backendGroupId, null, Address.Trim(), Port, Weight, Backup, null);
}
