using System.Globalization;

namespace Fulcrum.Bench;

/// <summary>What <c>/proc</c> says of a process and its descendants: resident memory and CPU time.</summary>
public static class Procfs
{
    /// <summary>The kernel's clock ticks per second for CPU times in <c>/proc/[pid]/stat</c> (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The process and every process below it.</summary>
    public static IReadOnlyList<int> Tree(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var id) && Stat(id) is { } stat)
            {
                parents[id] = int.Parse(stat[1], CultureInfo.InvariantCulture);
            }
        }

        var tree = new List<int> { pid };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    /// <summary>Resident memory of the processes, in MiB.</summary>
    public static double ResidentMiB(IEnumerable<int> pids) => pids.Sum(pid =>
    {
        var line = Read($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    });

    /// <summary>CPU time (user and system) the processes used so far.</summary>
    public static TimeSpan Cpu(IEnumerable<int> pids) => TimeSpan.FromSeconds(pids.Sum(pid =>
        Stat(pid) is { } stat ? (double.Parse(stat[11], CultureInfo.InvariantCulture) + double.Parse(stat[12], CultureInfo.InvariantCulture)) / TicksPerSecond : 0));

    /// <summary>The share of one core each group of processes used over <paramref name="window"/>, in percent.</summary>
    public static async Task<double[]> CpuPercentAsync(IReadOnlyList<IReadOnlyList<int>> groups, TimeSpan window)
    {
        var before = groups.Select(Cpu).ToArray();
        await Task.Delay(window);
        return [.. groups.Select((g, i) => (Cpu(g) - before[i]) / window * 100)];
    }

    /// <summary>The fields of /proc/[pid]/stat after the command name: [0] state, [1] ppid, … [11] utime, [12] stime.</summary>
    private static string[]? Stat(int pid)
    {
        var text = Read($"/proc/{pid}/stat");
        return text is null ? null : text[(text.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
