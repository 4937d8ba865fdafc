using System.Runtime.CompilerServices;
using System.Text.Json;
using Fulcrum.Core.Json;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Dataplane.Tests.Infrastructure;

/// <summary>
/// Golden-file cases: <c>testassets/{tool}/{case}/snapshot.json</c> is the input, <c>expected/</c> beside it holds
/// every file the renderer must produce, rendered into <see cref="Directory"/>. Run the tests with
/// <c>FULCRUM_UPDATE_GOLDEN=1</c> to rewrite the expected files after an intended change, then review the diff.
/// </summary>
public static class Golden
{
    /// <summary>The generation directory golden files are rendered into.</summary>
    public const string Directory = "/var/lib/fulcrum/generations/7";

    public static NodeFacts Facts { get; } = new("node-a", "/run/fulcrum", ["/usr/sbin/fulcrum-agent", "notify"], "/usr/lib/nginx/modules");

    private static readonly bool Update = Environment.GetEnvironmentVariable("FULCRUM_UPDATE_GOLDEN") == "1";

    public static string AssetsDirectory([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source))!, "testassets");

    /// <summary>The case names under <c>testassets/{tool}</c>, as theory data.</summary>
    public static TheoryData<string> Cases(string tool)
    {
        var cases = new TheoryData<string>();
        foreach (var directory in System.IO.Directory.GetDirectories(Path.Combine(AssetsDirectory(), tool)).Order(StringComparer.Ordinal))
        {
            cases.Add(Path.GetFileName(directory));
        }

        return cases;
    }

    public static ClusterSnapshot Snapshot(string tool, string name) =>
        JsonSerializer.Deserialize<ClusterSnapshot>(File.ReadAllText(Path.Combine(AssetsDirectory(), tool, name, "snapshot.json")), FulcrumJson.Options)!;

    /// <summary>Every rendered file equals its expected copy, and no expected file is left unrendered.</summary>
    public static void AssertMatches(string tool, string name, IReadOnlyList<RenderedFile> files)
    {
        var expectedDirectory = Path.Combine(AssetsDirectory(), tool, name, "expected");
        if (Update)
        {
            if (System.IO.Directory.Exists(expectedDirectory))
            {
                System.IO.Directory.Delete(expectedDirectory, recursive: true);
            }

            foreach (var file in files)
            {
                var path = Path.Combine(expectedDirectory, file.Path);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Content);
            }
        }

        var expected = System.IO.Directory.GetFiles(expectedDirectory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(expectedDirectory, path))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, files.Select(f => f.Path).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(expectedDirectory, file.Path)), file.Content);
        }
    }
}
