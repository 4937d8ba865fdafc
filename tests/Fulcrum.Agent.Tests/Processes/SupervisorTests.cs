using System.Threading.Channels;
using Fulcrum.Agent.Processes;
using Fulcrum.Core.Api;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fulcrum.Agent.Tests.Processes;

public sealed class SupervisorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Exit_OfARunningProgram_StartsItAgainAndReportsEachRestart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        var processes = new FakeProcesses(time);
        using var supervisor = new Supervisor(processes, time, NullLogger<Supervisor>.Instance);
        await supervisor.StartAsync(CancellationToken.None);

        Assert.Equal([100, 200, 300], (await processes.NextWaitAsync()).Order());
        Assert.Empty(supervisor.Restarts());

        processes.Kill("haproxy");
        Assert.Equal([200, 300, 301], (await processes.NextWaitAsync()).Order());
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([200, 300, 301], (await processes.NextWaitAsync()).Order());
        processes.Kill("haproxy");
        Assert.Equal([200, 300, 302], (await processes.NextWaitAsync()).Order());

        var restart = Assert.Single(supervisor.Restarts());
        Assert.Equal(new ProcessRestarts("haproxy", 2, "haproxy (pid 301) exited; started again (pid 302)", time.GetUtcNow()), restart);
        Assert.Equal(2, processes.Starts);
        Assert.Equal([true], processes.Vrrp);
        await supervisor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Exit_OfHaproxyThatCannotBeStarted_GivesUpTheVipsAtOnce_AndTakesPartAgainOnceItRuns()
    {
        var time = new FakeTimeProvider();
        var processes = new FakeProcesses(time);
        using var supervisor = new Supervisor(processes, time, NullLogger<Supervisor>.Instance);
        await supervisor.StartAsync(CancellationToken.None);
        await processes.NextWaitAsync();

        processes.StartFailure = "haproxy did not start (exit 1): cannot bind socket";
        processes.Kill("haproxy");
        Assert.Equal([200, 300], (await processes.NextWaitAsync()).Order());

        Assert.Equal([true, false], processes.Vrrp);
        Assert.Equal("haproxy (pid 100) exited; could not be started: haproxy did not start (exit 1): cannot bind socket", Assert.Single(supervisor.Restarts()).LastReason);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([200, 300], (await processes.NextWaitAsync()).Order());
        Assert.Equal([true, false], processes.Vrrp);

        processes.StartFailure = null;
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([200, 300, 301], (await processes.NextWaitAsync()).Order());

        Assert.Equal([true, false, true], processes.Vrrp);
        Assert.Equal(3, processes.Starts);
        var restart = Assert.Single(supervisor.Restarts());
        Assert.Equal(1, restart.Count);
        Assert.Equal("haproxy (pid 100) exited; started again (pid 301)", restart.LastReason);
        await supervisor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Exit_OfNginxThatCannotBeStarted_GivesUpTheVipsAtOnce_AndTakesPartAgainOnceItRuns()
    {
        var time = new FakeTimeProvider();
        var processes = new FakeProcesses(time);
        using var supervisor = new Supervisor(processes, time, NullLogger<Supervisor>.Instance);
        await supervisor.StartAsync(CancellationToken.None);
        await processes.NextWaitAsync();

        processes.StartFailure = "nginx did not start (exit 1): bind() failed";
        processes.Kill("nginx");
        Assert.Equal([100, 300], (await processes.NextWaitAsync()).Order());
        Assert.Equal([true, false], processes.Vrrp);

        processes.StartFailure = null;
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([100, 300, 301], (await processes.NextWaitAsync()).Order());

        Assert.Equal([true, false, true], processes.Vrrp);
        await supervisor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Restarts_CountedBeforeTheAgentRestarted_CountOn()
    {
        var time = new FakeTimeProvider();
        var processes = new FakeProcesses(time);
        using (var first = new Supervisor(processes, time, NullLogger<Supervisor>.Instance))
        {
            await first.StartAsync(CancellationToken.None);
            await processes.NextWaitAsync();
            processes.Kill("haproxy");
            await processes.NextWaitAsync();
            await first.StopAsync(CancellationToken.None);
        }

        using var second = new Supervisor(processes, time, NullLogger<Supervisor>.Instance);
        await second.StartAsync(CancellationToken.None);
        await processes.NextWaitAsync();
        Assert.Equal(1, Assert.Single(second.Restarts()).Count);
        processes.Kill("haproxy");
        await processes.NextWaitAsync();

        var restart = Assert.Single(second.Restarts());
        Assert.Equal(2, restart.Count);
        Assert.Equal("haproxy (pid 301) exited; started again (pid 302)", restart.LastReason);
        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Exit_OfNginxOrKeepalived_IsRestartedWithoutGivingUpTheVips()
    {
        var time = new FakeTimeProvider();
        var processes = new FakeProcesses(time);
        using var supervisor = new Supervisor(processes, time, NullLogger<Supervisor>.Instance);
        await supervisor.StartAsync(CancellationToken.None);
        await processes.NextWaitAsync();

        processes.Kill("nginx");
        await processes.NextWaitAsync();
        processes.Kill("keepalived");
        Assert.Equal([100, 301, 302], (await processes.NextWaitAsync()).Order());

        Assert.Equal(["keepalived", "nginx"], supervisor.Restarts().Select(r => r.Tool));
        Assert.All(supervisor.Restarts(), r => Assert.Equal(1, r.Count));
        Assert.Equal([true], processes.Vrrp);
        await supervisor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Start_OfAProgramByAnApply_IsWatchedButNotCountedAsARestart()
    {
        var time = new FakeTimeProvider();
        var processes = new FakeProcesses(time, running: false);
        using var supervisor = new Supervisor(processes, time, NullLogger<Supervisor>.Instance);
        await supervisor.StartAsync(CancellationToken.None);
        Assert.Empty(await processes.NextWaitAsync());

        processes.StartAll();
        time.Advance(Supervisor.Rescan);
        Assert.Equal([301, 302, 303], (await processes.NextWaitAsync()).Order());

        Assert.Empty(supervisor.Restarts());
        Assert.Equal(0, processes.Starts);
        await supervisor.StopAsync(CancellationToken.None);
    }

    /// <summary>Programs with pids; the test kills them, and each wait of the supervisor is handed to the test.</summary>
    private sealed class FakeProcesses(TimeProvider time, bool running = true) : ISupervisedProcesses
    {
        private static readonly string[] Tools = ["haproxy", "nginx", "keepalived"];
        private readonly Dictionary<string, int> _running = running
            ? new(StringComparer.Ordinal) { ["haproxy"] = 100, ["nginx"] = 200, ["keepalived"] = 300 }
            : new(StringComparer.Ordinal);

        private readonly Channel<IReadOnlyList<int>> _waits = Channel.CreateUnbounded<IReadOnlyList<int>>();
        private TaskCompletionSource<IReadOnlyList<int>> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _nextPid = 301;
        private string _saved = "[]";

        public string? StartFailure { get; set; }

        public int Starts { get; private set; }

        public List<bool> Vrrp { get; } = [];

        public IReadOnlyDictionary<string, int> Running()
        {
            lock (_running)
            {
                return new Dictionary<string, int>(_running, StringComparer.Ordinal);
            }
        }

        public async Task<IReadOnlyList<int>> WaitForExitAsync(IReadOnlyList<int> pids, TimeSpan timeout, CancellationToken ct)
        {
            var exit = _exit.Task;
            var delay = Task.Delay(timeout, time, ct);
            lock (_running)
            {
                // As a pidfd that cannot be opened: a pid gone already is an exit at once.
                if (pids.Where(p => !_running.ContainsValue(p)).ToList() is { Count: > 0 } gone)
                {
                    return gone;
                }
            }

            await _waits.Writer.WriteAsync(pids, ct);
            return await Task.WhenAny(exit, delay) == exit ? await exit : [];
        }

        public Task<bool> StartMissingAsync(CancellationToken ct)
        {
            Starts++;
            if (StartFailure is { } failure)
            {
                throw new DataplaneException(failure);
            }

            StartAll();
            return Task.FromResult(true);
        }

        public void TakePartInVrrp(bool healthy) => Vrrp.Add(healthy);

        /// <summary>As the state directory keeps them: JSON, read back by the next supervisor.</summary>
        public IReadOnlyList<ProcessRestarts> SavedRestarts() =>
            System.Text.Json.JsonSerializer.Deserialize<List<ProcessRestarts>>(_saved, Fulcrum.Core.Json.FulcrumJson.Options)!;

        public void SaveRestarts(IReadOnlyList<ProcessRestarts> restarts) => _saved = System.Text.Json.JsonSerializer.Serialize(restarts, Fulcrum.Core.Json.FulcrumJson.Options);

        public void StartAll()
        {
            lock (_running)
            {
                foreach (var tool in Tools.Where(t => !_running.ContainsKey(t)))
                {
                    _running[tool] = _nextPid++;
                }
            }
        }

        public void Kill(string tool)
        {
            int pid;
            lock (_running)
            {
                pid = _running[tool];
                _running.Remove(tool);
            }

            var exit = _exit;
            _exit = new TaskCompletionSource<IReadOnlyList<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
            exit.SetResult([pid]);
        }

        /// <summary>The pids of the supervisor's next wait: by then it has acted on everything before.</summary>
        public async Task<IReadOnlyList<int>> NextWaitAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            return await _waits.Reader.ReadAsync(timeout.Token);
        }
    }
}
