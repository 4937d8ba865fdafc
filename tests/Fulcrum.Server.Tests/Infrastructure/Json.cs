using System.Text.Json;
using Fulcrum.Core.Json;

namespace Fulcrum.Server.Tests.Infrastructure;

public static class Json
{
    /// <summary>Equality as a client sees it: the same JSON (records holding lists compare those by reference).</summary>
    public static void AssertSame<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, FulcrumJson.Options), JsonSerializer.Serialize(actual, FulcrumJson.Options));
}
