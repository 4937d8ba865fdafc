namespace Fulcrum.Deploy.Tests;

/// <summary>The systemd units in deploy/: well-formed, and saying what the operator guide says they do.</summary>
public sealed class SystemdUnitTests
{
    [Theory]
    [InlineData("fulcrum-server.service")]
    [InlineData("fulcrum-agent.service")]
    public void Unit_IsSectionsOfKeyValueLines(string unit)
    {
        var section = (string?)null;
        foreach (var (line, number) in File.ReadAllLines(UnitPath(unit)).Select((l, i) => (l, i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                Assert.Contains(section, new[] { "Unit", "Service", "Install" });
                continue;
            }

            Assert.True(section is not null, $"{unit}:{number} comes before any section");
            Assert.Matches("^[A-Z][A-Za-z]+=\\S", line);
        }
    }

    [Fact]
    public void ServerUnit_RunsAsItsOwnUserWithStateInVarLibFulcrumAndHardening()
    {
        var unit = Settings("fulcrum-server.service");

        Assert.Equal(["fulcrum"], unit["User"]);
        Assert.Equal(["fulcrum"], unit["StateDirectory"]);
        Assert.Contains("Fulcrum__DataDirectory=/var/lib/fulcrum", unit["Environment"]);
        Assert.Contains("Fulcrum__KeyRingCertificate=%d/key-ring.pem", unit["Environment"]);
        Assert.Equal(["strict"], unit["ProtectSystem"]);
        Assert.Equal(["yes"], unit["NoNewPrivileges"]);
        Assert.Equal(["-/etc/fulcrum/server.env"], unit["EnvironmentFile"]);
        Assert.Equal(["/opt/fulcrum/fulcrum-server"], unit["ExecStart"]);
    }

    [Fact]
    public void AgentUnit_RestartsOnFailureWithoutStoppingTheDataPlane()
    {
        var unit = Settings("fulcrum-agent.service");

        Assert.Equal(["on-failure"], unit["Restart"]);
        Assert.Equal(["process"], unit["KillMode"]);
        Assert.False(unit.ContainsKey("User"), "the agent runs as root");
        var capabilities = unit["CapabilityBoundingSet"].Single().Split(' ');
        Assert.Contains("CAP_NET_ADMIN", capabilities);
        Assert.Contains("CAP_NET_RAW", capabilities);
        Assert.Contains("CAP_NET_BIND_SERVICE", capabilities);
        // The agent writes net.ipv4.ip_nonlocal_bind: /proc/sys must stay writable.
        Assert.False(unit.ContainsKey("ProtectKernelTunables"));
        Assert.StartsWith("/opt/fulcrum/fulcrum-agent run --state-dir /var/lib/fulcrum-agent", unit["ExecStart"].Single(), StringComparison.Ordinal);
    }

    private static Dictionary<string, List<string>> Settings(string unit) =>
        File.ReadAllLines(UnitPath(unit))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('['))
            .Select(l => l.Split('=', 2))
            .GroupBy(pair => pair[0], pair => pair[1])
            .ToDictionary(g => g.Key, g => g.ToList());

    private static string UnitPath(string unit)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "deploy", unit)))
            {
                return Path.Combine(directory.FullName, "deploy", unit);
            }
        }

        throw new FileNotFoundException($"No deploy/{unit} above {AppContext.BaseDirectory}.");
    }
}
