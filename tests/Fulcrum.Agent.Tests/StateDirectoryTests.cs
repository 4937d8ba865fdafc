namespace Fulcrum.Agent.Tests;

public sealed class StateDirectoryTests : IDisposable
{
    private readonly StateDirectory _state = new(Directory.CreateTempSubdirectory("fulcrum-state-test-").FullName);

    [Fact]
    public void ForgetServed_AfterAnEarlierEnrolment_DropsTheSnapshotAndEveryGenerationButTheCurrentOne()
    {
        _state.Create();
        StateDirectory.WritePrivate(_state.SnapshotFile, new { revision = 50 });
        var old = Directory.CreateDirectory(Path.Combine(_state.Generations, "49-aaaa"));
        var served = Directory.CreateDirectory(Path.Combine(_state.Generations, "50-bbbb"));
        File.CreateSymbolicLink(_state.Current, served.FullName);

        _state.ForgetServed();

        Assert.False(File.Exists(_state.SnapshotFile));
        Assert.False(old.Exists);
        Assert.True(Directory.Exists(served.FullName));
    }

    public void Dispose() => Directory.Delete(_state.Path, recursive: true);
}
