using Fulcrum.Agent.Processes;
using Fulcrum.Dataplane.Haproxy;

namespace Fulcrum.Agent.Tests.Processes;

public sealed class HaproxyServerStateTests
{
    private const string Header =
        "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status "
        + "srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl "
        + "srv_check_port srv_check_addr srv_agent_addr srv_agent_port";

    /// <summary>As haproxy 2.6 answers <c>show servers state</c>: be-one is down, be-two up, be-six on IPv6.</summary>
    private const string State = "1\n" + Header + "\n"
        + "3 lsn-a_bg-b 1 be-one 198.18.1.10 0 0 1 1 8 8 2 0 6 0 0 0 - 8080 - 0 0 - - 0\n"
        + "3 lsn-a_bg-b 2 be-two 198.18.1.11 2 0 1 1 8 15 3 4 6 0 0 0 - 8080 - 0 0 - - 0\n"
        + "4 lsn-c_bg-d 1 be-six 2001:db8::6 0 0 1 1 8 8 2 0 6 0 0 0 - 9000 - 0 0 - - 0\n\n";

    private const string Config = """
        global
            master-worker

        backend lsn-a_bg-b from http
            balance roundrobin
            server be-one 198.18.1.10:8080 weight 1 check
            server be-two 198.18.1.11:8080 weight 1 check

        backend lsn-c_bg-d from tcp
            server be-six [2001:db8::6]:9000 weight 1 check

        """;

    [Fact]
    public void Keep_UnchangedServers_KeepsEveryLine()
    {
        Assert.Equal(State.TrimEnd('\n') + "\n", HaproxyServerState.Keep(State, Config));
    }

    /// <summary>haproxy would otherwise give be-one its old port back, and be-six would keep a state of another address.</summary>
    [Fact]
    public void Keep_ServersWhosePortOrAddressChanged_AreLeftOut()
    {
        var changed = Config.Replace("198.18.1.10:8080", "198.18.1.10:8081", StringComparison.Ordinal)
            .Replace("[2001:db8::6]:9000", "[2001:db8::7]:9000", StringComparison.Ordinal);

        var kept = HaproxyServerState.Keep(State, changed);

        Assert.Equal(["1", Header, "3 lsn-a_bg-b 2 be-two 198.18.1.11 2 0 1 1 8 15 3 4 6 0 0 0 - 8080 - 0 0 - - 0"], kept.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Keep_ServersMovedOrGoneFromTheirBackend_AreLeftOut()
    {
        var moved = Config.Replace("backend lsn-c_bg-d", "backend lsn-c_bg-e", StringComparison.Ordinal)
            .Replace("    server be-two 198.18.1.11:8080 weight 1 check\n", "", StringComparison.Ordinal);

        var kept = HaproxyServerState.Keep(State, moved);

        Assert.Equal(["1", Header, "3 lsn-a_bg-b 1 be-one 198.18.1.10 0 0 1 1 8 8 2 0 6 0 0 0 - 8080 - 0 0 - - 0"], kept.TrimEnd('\n').Split('\n'));
    }

    /// <summary>haproxy would keep a weight or a maintenance set through the runtime API over what the new file says.</summary>
    [Fact]
    public void Keep_ServersWhoseRuntimeWeightOrMaintenanceTheConfigNoLongerSays_AreLeftOut()
    {
        var runtime = State
            .Replace("be-one 198.18.1.10 0 0 1 1", "be-one 198.18.1.10 0 0 3 1", StringComparison.Ordinal)
            .Replace("be-six 2001:db8::6 0 0 1 1", "be-six 2001:db8::6 0 1 1 1", StringComparison.Ordinal);

        Assert.Equal(["1", Header, "3 lsn-a_bg-b 2 be-two 198.18.1.11 2 0 1 1 8 15 3 4 6 0 0 0 - 8080 - 0 0 - - 0"], HaproxyServerState.Keep(runtime, Config).TrimEnd('\n').Split('\n'));

        var saysSo = Config.Replace("be-one 198.18.1.10:8080 weight 1", "be-one 198.18.1.10:8080 weight 3", StringComparison.Ordinal)
            .Replace("[2001:db8::6]:9000 weight 1 check", "[2001:db8::6]:9000 weight 1 check disabled", StringComparison.Ordinal);
        Assert.Equal(runtime.TrimEnd('\n') + "\n", HaproxyServerState.Keep(runtime, saysSo));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Unknown command.\n")]
    [InlineData("2\n# be_id be_name\n")]
    public void Keep_AnAnswerThatIsNotAVersion1State_IsAnEmptyState(string answer)
    {
        Assert.Equal(HaproxyRenderer.EmptyServerState, HaproxyServerState.Keep(answer, Config));
    }
}
