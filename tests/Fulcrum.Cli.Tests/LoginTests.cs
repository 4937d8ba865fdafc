using Fulcrum.Cli.Tests.Infrastructure;

namespace Fulcrum.Cli.Tests;

[Collection(CliServerCollection.Name)]
public sealed class LoginTests(CliServer server) : IDisposable
{
    private readonly CliRunner _cli = new(server);

    [Fact]
    public async Task Login_PinnedServer_SavesContextReadableOnlyByTheUser()
    {
        var login = await _cli.RawAsync(["login", "--server", server.Url, "--token", server.AdminToken, "--server-fingerprint", server.Fingerprint, "--name", "test"]);

        Assert.True(login.ExitCode == 0, login.ToString());
        var file = Path.Combine(_cli.ConfigHome, "fulcrum", "config.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        var list = await _cli.RawAsync(["list", "project"]);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.StartsWith("ID", list.Out.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongFingerprint_RefusedAsUntrusted()
    {
        var login = await _cli.RawAsync(["login", "--server", server.Url, "--token", server.AdminToken, "--server-fingerprint", new string('A', 64)]);

        Assert.Equal(ExitCodes.Unreachable, login.ExitCode);
        Assert.Contains("not trusted", login.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cli.ConfigHome, "fulcrum", "config.json")));
    }

    [Fact]
    public async Task Login_CaFile_TrustsTheServerAndLaterCommandsUseIt()
    {
        var login = await _cli.RawAsync(["login", "--server", server.Url, "--token", server.AdminToken, "--ca-file", server.CertificateFile]);

        Assert.True(login.ExitCode == 0, login.ToString());
        var contexts = await _cli.RawAsync(["context"]);
        Assert.Contains("ca-file", contexts.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await _cli.RawAsync(["list", "cluster"])).ExitCode);
    }

    [Fact]
    public async Task Login_NoTrustGiven_SelfSignedServerRefused()
    {
        var login = await _cli.RawAsync(["login", "--server", server.Url, "--token", server.AdminToken]);

        Assert.Equal(ExitCodes.Unreachable, login.ExitCode);
        Assert.Contains("--server-fingerprint", login.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongToken_AuthExitCode()
    {
        var login = await _cli.RawAsync(["login", "--server", server.Url, "--token", "not-a-token", "--server-fingerprint", server.Fingerprint]);

        Assert.Equal(ExitCodes.Auth, login.ExitCode);
    }

    [Fact]
    public async Task List_UnreachableServer_UnreachableExitCode()
    {
        var list = await _cli.RawAsync(["list", "project", "--server", "https://127.0.0.1:1", "--token", "t"]);

        Assert.Equal(ExitCodes.Unreachable, list.ExitCode);
        Assert.Contains("cannot reach https://127.0.0.1:1", list.Error, StringComparison.Ordinal);
        Assert.Equal("", list.Out);
    }

    [Fact]
    public async Task List_EnvironmentOverridesMissingContext()
    {
        var list = await _cli.RawAsync(["list", "project", "--server-fingerprint", server.Fingerprint], variables: new Dictionary<string, string>
        {
            ["FULCRUM_SERVER"] = server.Url,
            ["FULCRUM_TOKEN"] = server.AdminToken,
        });

        Assert.True(list.ExitCode == 0, list.ToString());
    }

    [Fact]
    public async Task List_NoContext_UsageExitCode()
    {
        var list = await _cli.RawAsync(["list", "project"]);

        Assert.Equal(ExitCodes.Usage, list.ExitCode);
        Assert.Contains("fulcrum login", list.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
