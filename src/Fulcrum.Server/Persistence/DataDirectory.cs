using Microsoft.Data.Sqlite;

namespace Fulcrum.Server.Persistence;

/// <summary>
/// The server's data directory holds the SQLite database and, unless the operator provides them elsewhere, the
/// control plane's TLS key: this user's only (0700, files 0600), whatever the umask the server was started with.
/// </summary>
public static class DataDirectory
{
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory 0700, and narrows an existing one left wider by an earlier version.</summary>
    public static void Create(string path)
    {
        Directory.CreateDirectory(path, PrivateDirectory);
        File.SetUnixFileMode(path, PrivateDirectory);
    }

    public static void WritePrivate(string file, string content)
    {
        using var stream = new FileStream(file, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
        using var writer = new StreamWriter(stream);
        writer.Write(content);
        File.SetUnixFileMode(file, PrivateFile);
    }

    /// <summary>
    /// Makes the SQLite database file 0600 before SQLite first opens it: SQLite creates its -wal, -shm and journal
    /// files with the database file's mode, so they follow.
    /// </summary>
    public static void SecureSqliteFile(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        Directory.CreateDirectory(directory, PrivateDirectory);
        using (new FileStream(file, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = PrivateFile }))
        {
        }

        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + "-journal" }.Where(File.Exists))
        {
            File.SetUnixFileMode(path, PrivateFile);
        }
    }
}
