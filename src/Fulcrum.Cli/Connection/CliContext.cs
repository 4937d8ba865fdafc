using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fulcrum.Cli.Connection;

/// <summary>A saved server: where it is, the token, and how its certificate is trusted.</summary>
public sealed record CliContext(string Server, string Token, string? Fingerprint = null, string? CaCertificatePem = null, bool Insecure = false);

/// <summary>The contexts <c>fulcrum login</c> saved; the file holds tokens, so it is 0600 in a 0700 directory.</summary>
public sealed record ContextFile(string? Current, Dictionary<string, CliContext> Contexts)
{
    public const string FileName = "config.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ContextFile Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return new(null, []);
        }

        try
        {
            return JsonSerializer.Deserialize<ContextFile>(File.ReadAllText(path), Json) ?? new(null, []);
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Failure, $"{path} is not a context file: {e.Message}");
        }
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        // Created 0600 before the token is written, then moved over the old file in one step.
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            JsonSerializer.Serialize(stream, this, Json);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
