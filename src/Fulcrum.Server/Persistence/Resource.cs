using System.Security.Cryptography;

namespace Fulcrum.Server.Persistence;

/// <summary>What every stored resource has: a server-made id, timestamps and the version behind its ETag.</summary>
public abstract class Resource
{
    public required string Id { get; init; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Bumped by every update; the database refuses a write based on a stale one.</summary>
    public long Version { get; set; }

    public string ETag => $"\"{Version}\"";

    public void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }
}

public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>A prefixed id with 80 random bits, such as <c>lb-3kq9z0c4m1x7t2ab</c>; safe to use in any config file.</summary>
    public static string New(string prefix) =>
        prefix + "-" + RandomNumberGenerator.GetString(Alphabet, 16);

    /// <summary>A secret with 256 random bits, shown once and stored only as its hash.</summary>
    public static string NewSecret(string prefix) =>
        prefix + "_" + RandomNumberGenerator.GetString(Alphabet + "ABCDEFGHJKLMNPQRSTVWXYZ", 43);

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
}
