using Fulcrum.Agent.Apply;
using Fulcrum.Agent.Processes;

namespace Fulcrum.Agent.Tests.Processes;

public sealed class HaproxyRuntimeTests
{
    private const string Header =
        "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status "
        + "srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl "
        + "srv_check_port srv_check_addr srv_agent_addr srv_agent_port";

    private static readonly RuntimeServer Before = new("lsn-a_bg-b", "be-one", "198.18.1.10", 8080, 1, Disabled: false);

    /// <summary>As haproxy 2.6 answered after <c>set server … weight 3</c> and <c>addr 198.18.1.12 port 9090</c>.</summary>
    private static string State(string adminState = "0", string weight = "3") => "1\n" + Header + "\n"
        + $"2 lsn-a_bg-b 1 be-one 198.18.1.12 2 {adminState} {weight} 1 0 8 2 0 6 0 0 0 - 9090 - 0 0 - - 0\n"
        + "2 lsn-a_bg-b 2 be-two 198.18.1.11 2 4 0 0 0 1 0 0 8 0 0 0 - 8081 - 0 0 - - 0\n\n";

    [Fact]
    public void Unconfirmed_EveryChangeShown_Null()
    {
        var change = new RuntimeServerChange(Before, Before with { Address = "198.18.1.12", Port = 9090, Weight = 3 });

        Assert.Null(HaproxyRuntime.Unconfirmed([change], State()));
    }

    [Fact]
    public void Unconfirmed_WeightNotTaken_ThatServer()
    {
        var change = new RuntimeServerChange(Before, Before with { Address = "198.18.1.12", Port = 9090, Weight = 4 });

        Assert.Equal(change.After, HaproxyRuntime.Unconfirmed([change], State()));
    }

    [Fact]
    public void Unconfirmed_MaintenanceIsTheForcedBitOnly()
    {
        var disabled = new RuntimeServerChange(Before, Before with { Address = "198.18.1.12", Port = 9090, Weight = 3, Disabled = true });
        var enabledAgain = new RuntimeServerChange(Before with { Server = "be-two", Disabled = true }, Before with { Server = "be-two", Address = "198.18.1.11", Port = 8081, Weight = 0 });

        Assert.Null(HaproxyRuntime.Unconfirmed([disabled, enabledAgain], State(adminState: "5")));
        Assert.Equal(disabled.After, HaproxyRuntime.Unconfirmed([disabled], State(adminState: "4")));
    }

    [Fact]
    public void Unconfirmed_ServerOrBackendUnknownToHaproxy_ThatServer()
    {
        var change = new RuntimeServerChange(Before with { Backend = "lsn-x_bg-y" }, Before with { Backend = "lsn-x_bg-y", Weight = 2 });

        Assert.Equal(change.After, HaproxyRuntime.Unconfirmed([change], "Can't find backend.\n" + State()));
    }

    [Fact]
    public void Unconfirmed_RemovedServerStillShown_ThatServer()
    {
        var removed = new RuntimeServerChange(Before with { Server = "be-two" }, null);

        Assert.Equal(removed.Before, HaproxyRuntime.Unconfirmed([removed], State()));
        Assert.Null(HaproxyRuntime.Unconfirmed([new RuntimeServerChange(Before with { Server = "be-gone" }, null)], State()));
    }

    [Fact]
    public void Unconfirmed_AddedAsBackup_ConfirmedByAddressPortWeightAndState()
    {
        var added = new RuntimeServerChange(null, Before with { Address = "198.18.1.12", Port = 9090, Weight = 3, Backup = true }, "198.18.1.12:9090 weight 3 backup");

        Assert.Null(HaproxyRuntime.Unconfirmed([added], State()));
    }

    [Fact]
    public void Lines_ManyCommands_JoinedBySemicolonsInLinesHaproxyAccepts()
    {
        var commands = Enumerable.Range(0, 1000).Select(i => $"set server lsn-3kq9z0c4m1x7t2ab_bg-3kq9z0c4m1x7t2ab/be-3kq9z0c4m1x7t2{i:d3} weight 7").ToList();

        var lines = HaproxyRuntime.Lines(commands).ToList();

        Assert.True(lines.Count > 1);
        Assert.All(lines, line => Assert.InRange(line.Length, 1, 8 * 1024));
        Assert.Equal(commands, lines.SelectMany(line => line.Split(';')));
    }
}
