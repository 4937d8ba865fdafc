using System.Net;
using Fulcrum.Core.Api;
using Fulcrum.Lab;

namespace Fulcrum.EndToEnd.Tests;

/// <summary>What a client sees through a VIP: which backend answered (the first line of its body), and how often.</summary>
public static class Traffic
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Waits until the URL answers 200 and every node applied the load balancer's last change.</summary>
    public static async Task WaitUntilServingAsync(LabDeployment lab, LoadBalancerResponse lb, HttpClient http, string url)
    {
        await Eventually.TrueAsync(() => AnswersAsync(http, url, HttpStatusCode.OK), Deadline, () => $"{url} never answered 200");
        await lab.WaitUntilActiveAsync(lb);
    }

    public static async Task<bool> AnswersAsync(HttpClient http, string url, HttpStatusCode status)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode == status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends <paramref name="count"/> requests one after the other; each must succeed. Returns who served each.</summary>
    public static async Task<List<string>> ServedByAsync(HttpClient http, string url, int count, string? host = null)
    {
        var served = new List<string>();
        for (var i = 0; i < count; i++)
        {
            served.Add(FirstLine(await GetAsync(http, url, HttpStatusCode.OK, host)));
        }

        return served;
    }

    /// <summary>One GET, with an optional Host header; fails unless it answers <paramref name="status"/>. Returns the body.</summary>
    public static async Task<string> GetAsync(HttpClient http, string url, HttpStatusCode status, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"GET {url} (Host {host ?? "as in the URL"}) answered {(int)response.StatusCode}, not {(int)status}:\n{body}");
        return body;
    }

    /// <summary>How many times each name occurs, by name.</summary>
    public static List<(string Name, int Count)> Tally(IEnumerable<string> names) =>
        [.. names.CountBy(name => name).OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => (pair.Key, pair.Value))];

    public static string FirstLine(string body) => body.Split('\n')[0];
}
