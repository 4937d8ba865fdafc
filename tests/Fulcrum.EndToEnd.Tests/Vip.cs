using System.Net;

namespace Fulcrum.EndToEnd.Tests;

public static class Vip
{
    /// <summary>Whether one request through the VIP gets a 200 — a refused or timed-out connection is a no, not an error.</summary>
    public static async Task<bool> ServesAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
