using System.Globalization;

namespace Fulcrum.Lab.Network;

/// <summary>
/// A lab: network namespaces on one /24 of 198.18.0.0/15 (the range set aside for benchmarks), joined by a bridge
/// in a hub namespace of their own, with a veth into the root namespace so that a control plane on the host is
/// reachable at <see cref="HostAddress"/>. Names carry the lab's own pid, so a lab left behind by a crashed run is
/// recognised — its owner is gone — and cleaned before a new one starts. Interface names stay within Linux's 15
/// characters: the host link is <c>fl{pid}_{n}h</c>, the others live inside the lab's own namespaces. Disposing tears everything down: the
/// processes running in the lab's namespaces (found by namespace, ended by pid), the namespaces, the host link.
/// </summary>
public sealed class LabNetwork : IAsyncDisposable
{
    private const string Prefix = "fl";

    /// <summary>Pids of the programs a lab runs on the host itself, so that a crashed lab's can be ended too.</summary>
    private const string Registry = "/run/fulcrum-lab";
    private static int s_labs;
    private readonly List<string> _namespaces = [];
    private readonly List<LabProcess> _processes = [];
    private int _nextHost = 10;

    private LabNetwork(int subnet)
    {
        Subnet = subnet;
        Id = $"{Environment.ProcessId}_{Interlocked.Increment(ref s_labs)}";
        Hub = $"{Prefix}{Id}-hub";
    }

    /// <summary>The third octet: the lab lives on 198.18.{Subnet}.0/24.</summary>
    public int Subnet { get; }

    public string Id { get; }

    public string Hub { get; }

    public string HostAddress => Address(1);

    /// <summary>Keep all that the lab's programs say (for a test that reads every line), not only their last lines.</summary>
    public bool KeepEverything { get; set; }

    public string HostLink => $"{Prefix}{Id}h";

    public IReadOnlyList<LabProcess> Processes => _processes;

    public string Address(int host) => $"198.18.{Subnet}.{host}";

    public static async Task<LabNetwork> CreateAsync(int subnet)
    {
        await CleanStaleAsync();
        var lab = new LabNetwork(subnet);
        try
        {
            await lab.AddNamespaceAsync(lab.Hub);
            await Ip.InAsync(lab.Hub, "link", "add", "br0", "type", "bridge");
            await Ip.InAsync(lab.Hub, "link", "set", "br0", "up");
            await Ip.RunAsync("link", "add", lab.HostLink, "type", "veth", "peer", "name", "up0", "netns", lab.Hub);
            await Ip.InAsync(lab.Hub, "link", "set", "up0", "master", "br0", "up");
            await Ip.RunAsync("addr", "add", lab.HostAddress + "/24", "dev", lab.HostLink);
            await Ip.RunAsync("link", "set", lab.HostLink, "up");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>A host of the lab: a namespace with loopback up and one interface (<c>eth0</c>) on the bridge.</summary>
    public async Task<LabHost> AddHostAsync(string role)
    {
        var index = _nextHost++;
        var ns = $"{Prefix}{Id}-{role}";
        await AddNamespaceAsync(ns);
        var hubSide = $"p{index}";
        await Ip.RunAsync("link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", hubSide, "netns", Hub);
        await Ip.InAsync(Hub, "link", "set", hubSide, "master", "br0", "up");
        await Ip.InAsync(ns, "addr", "add", Address(index) + "/24", "dev", "eth0");
        await Ip.InAsync(ns, "link", "set", "eth0", "up");
        await Ip.InAsync(ns, "link", "set", "lo", "up");
        return new LabHost(this, ns, Address(index), hubSide);
    }

    /// <summary>Starts a program in one of the lab's hosts, or on the host itself (the control plane) when it is null.</summary>
    public LabProcess Start(string name, LabHost? host, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = LabProcess.Start(name, host?.Namespace, program, arguments, environment, KeepEverything);
        _processes.Add(process);
        if (host is null)
        {
            Directory.CreateDirectory(Registry, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.AppendAllText(HostPids(Id), process.Pid.ToString(CultureInfo.InvariantCulture) + "\n");
        }

        return process;
    }

    /// <summary>Everything every lab process said (all of it with <see cref="KeepEverything"/>).</summary>
    public string Transcripts() => string.Join("\n", _processes.Select(p => $"----- {p.Name} -----\n{p.Transcript()}"));

    /// <summary>What every lab process said lately, for a failing test's output.</summary>
    public string Logs() =>
        string.Join("\n", _processes.Select(p => $"----- {p.Name} (pid {p.Pid}{(p.HasExited ? ", exited" : "")}) -----\n{p.Output()}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            await RemoveNamespaceAsync(ns);
        }

        await Ip.TryAsync("link", "del", HostLink);
        File.Delete(HostPids(Id));
    }

    private static string HostPids(string id) => Path.Combine(Registry, id + ".pids");

    private async Task AddNamespaceAsync(string ns)
    {
        await Ip.RunAsync("netns", "add", ns);
        _namespaces.Add(ns);
    }

    /// <summary>Ends whatever still runs in the namespace — the daemons the lab's agents started — then deletes it.</summary>
    private static async Task RemoveNamespaceAsync(string ns)
    {
        await KillAllInAsync(ns);
        await Ip.TryAsync("netns", "del", ns);
    }

    /// <summary>Ends every process running in the namespace, by pid, as a power loss would, and waits until they are gone.</summary>
    internal static async Task KillAllInAsync(string ns)
    {
        string listing;
        try
        {
            listing = await Ip.RunAsync("netns", "pids", ns);
        }
        catch (InvalidOperationException)
        {
            return;
        }

        var pids = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))
            .ToList();
        foreach (var pid in pids)
        {
            _ = Posix.Kill(pid, Posix.SigKill);
        }

        // Most are not our children (daemons the agents started), so there is nothing to wait on but /proc.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (pids.Any(Running) && !deadline.IsCancellationRequested)
        {
            await tick.WaitForNextTickAsync(CancellationToken.None);
        }
    }

    /// <summary>A crashed lab's control plane: ended by its recorded pid, if that pid still runs a Fulcrum program.</summary>
    private static void EndHostPrograms(string id)
    {
        var file = HostPids(id);
        if (!File.Exists(file))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(file))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Running(pid)
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains("fulcrum", StringComparison.Ordinal))
            {
                _ = Posix.Kill(pid, Posix.SigKill);
            }
        }

        File.Delete(file);
    }

    /// <summary>Alive and not a zombie (a dead process whose parent has not collected it yet holds nothing).</summary>
    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Namespaces of labs whose process is gone: a crashed run's leftovers.</summary>
    private static async Task CleanStaleAsync()
    {
        var listing = await Ip.RunAsync("netns", "list");
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var ns = line.Split(' ')[0];
            var dash = ns.IndexOf('-', StringComparison.Ordinal);
            var underscore = ns.IndexOf('_', StringComparison.Ordinal);
            if (!ns.StartsWith(Prefix, StringComparison.Ordinal) || underscore < 0 || dash < underscore
                || !int.TryParse(ns[Prefix.Length..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var owner) || Running(owner))
            {
                continue;
            }

            await RemoveNamespaceAsync(ns);
            await Ip.TryAsync("link", "del", $"{ns[..dash]}h");
            EndHostPrograms(ns[Prefix.Length..dash]);
        }
    }

}

/// <summary>One namespace of the lab, its address on the lab's LAN, and the bridge port that connects it.</summary>
public sealed record LabHost(LabNetwork Lab, string Namespace, string Address, string BridgePort)
{
    /// <summary>Cuts the host off the LAN, as a pulled cable or a dead switch port would.</summary>
    public Task DisconnectAsync() => Ip.InAsync(Lab.Hub, "link", "set", BridgePort, "down");

    public Task ReconnectAsync() => Ip.InAsync(Lab.Hub, "link", "set", BridgePort, "up");

    /// <summary>Ends every process of the host — agent and data plane — keeping its network and its disk.</summary>
    public Task PowerOffAsync() => LabNetwork.KillAllInAsync(Namespace);
}

/// <summary>kill(2) with any signal, for processes that are not this one's children.</summary>
internal static class Posix
{
    public const int SigKill = 9;

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for no gain on a single int call.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
