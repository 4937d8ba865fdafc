using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Fulcrum.Bench;

/// <summary>
/// What a benchmark run found, as markdown: printed scenario by scenario as each ends, and written whole to
/// <c>RESULTS.md</c> after each one (a run cut short keeps what it measured), headed by the machine, the versions,
/// the date and the command that reruns it.
/// </summary>
public sealed class Report(string file, string command)
{
    private readonly List<Section> _sections = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    /// <summary>The commit the run measures, read once: the checkout may move on while a long run goes on.</summary>
    private readonly Task<string> _commit = OutputAsync("git", "rev-parse", "--short", "HEAD");

    public Section Begin(string title, string what)
    {
        var section = new Section(title, what);
        _sections.Add(section);
        return section;
    }

    /// <summary>Prints the section and rewrites the whole file.</summary>
    public async Task EndAsync(Section section)
    {
        Console.WriteLine(section.Markdown());
        await File.WriteAllTextAsync(file, await HeaderAsync() + string.Join("\n", _sections.OrderBy(s => s.Title, StringComparer.Ordinal).Select(s => s.Markdown())));
    }

    private async Task<string> HeaderAsync()
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmark results").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {_started:yyyy-MM-dd HH:mm} UTC by `{command}` (see the README's Benchmarks section). Times are");
        text.AppendLine("from the API call (or the fault) to what a client in the lab sees; percentiles by nearest rank. Every program — client,");
        text.AppendLine("control plane, agents, haproxy, nginx, keepalived and the sample backends — shares the machine below.").AppendLine();
        text.AppendLine("| | |").AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| CPU | {CpuModel()}, {Environment.ProcessorCount} cores |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Memory | {MemoryGiB():F1} GiB |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Kernel | {(await OutputAsync("uname", "-r")).Trim()} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| .NET | {Environment.Version} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| haproxy | {FirstLine(await OutputAsync("haproxy", "-v"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| nginx | {FirstLine(await OutputAsync("nginx", "-v"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| keepalived | {FirstLine(await OutputAsync("keepalived", "--version"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Commit | {(await _commit).Trim()} |").AppendLine();
        return text.ToString();
    }

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    private static double MemoryGiB() =>
        double.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / (1024 * 1024);

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "not found";

    /// <summary>What a program printed on stdout and stderr (nginx and keepalived print their version on stderr).</summary>
    public static async Task<string> OutputAsync(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return await output + await error;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}

/// <summary>One scenario's part of the report: what it measures, its tables, and what the figures say.</summary>
public sealed class Section(string title, string what)
{
    private readonly StringBuilder _body = new();

    /// <summary>Numbered as the benchmark issue numbers them: the file lists sections in that order, whatever ran first.</summary>
    public string Title => title;

    public void Table(IReadOnlyList<string> headers, IEnumerable<IEnumerable<string>> rows)
    {
        _body.AppendLine().AppendLine("| " + string.Join(" | ", headers) + " |");
        _body.AppendLine("|" + string.Join("|", headers.Select(_ => "---")) + "|");
        foreach (var row in rows)
        {
            _body.AppendLine("| " + string.Join(" | ", row) + " |");
        }
    }

    public void Line(string text) => _body.AppendLine().AppendLine(text);

    /// <summary>Forgets the tables and lines so far: a scenario that reports as it goes writes them again, grown.</summary>
    public void Clear() => _body.Clear();

    public string Markdown() => $"## {title}\n\n{what}\n{_body}";
}
