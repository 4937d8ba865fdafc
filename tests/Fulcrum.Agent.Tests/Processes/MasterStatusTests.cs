using Fulcrum.Agent.Processes;

namespace Fulcrum.Agent.Tests.Processes;

public sealed class MasterStatusTests
{
    /// <summary>As haproxy 2.6's master CLI prints it mid-reload: a new worker, and the old one finishing its connections.</summary>
    private const string ShowProc = """
        #<PID>          <type>          <reloads>       <uptime>        <version>
        31103           master          3 [failed: 1]   0d00h10m12s     2.6.12-1+deb12u4
        # workers
        31201           worker          0               0d00h00m01s     2.6.12-1+deb12u4
        # old workers
        31104           worker          2               0d00h10m12s     2.6.12-1+deb12u4
        # programs

        """;

    [Fact]
    public void Parse_ShowProc_ReadsReloadsFailuresAndCurrentWorkersOnly()
    {
        var status = MasterStatus.Parse(ShowProc);

        Assert.Equal(3, status.Reloads);
        Assert.Equal(1, status.Failed);
        Assert.Equal([31201], status.Workers);
    }

    [Fact]
    public void Parse_Nothing_IsAnEmptyStatus()
    {
        var status = MasterStatus.Parse("");

        Assert.Equal((0, 0), (status.Reloads, status.Failed));
        Assert.Empty(status.Workers);
    }
}
