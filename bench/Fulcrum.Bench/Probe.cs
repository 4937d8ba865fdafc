using System.Diagnostics;
using System.Net;
using Fulcrum.Lab.Network;

namespace Fulcrum.Bench;

/// <summary>
/// A client in the lab asking the VIP who serves it: one GET per new connection (what a change or a failover is
/// seen by), answered by the sample backend's name on the first line of its body.
/// </summary>
public sealed class Probe(NamespaceSockets sockets) : IDisposable
{
    /// <summary>Between two requests of a wait: fine enough for the times measured, light enough not to load the node.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(5);

    private readonly HttpClient _http = sockets.HttpClient(TimeSpan.FromSeconds(1));

    /// <summary>Who answered a 200, or null for anything else (refused, timed out, another status).</summary>
    public async Task<string?> ServedByAsync(string url)
    {
        try
        {
            using var response = await _http.GetAsync(url);
            return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadAsStringAsync()).Split('\n')[0] : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>How long after <paramref name="clock"/> started <paramref name="seen"/> held for an answer.</summary>
    public Task<TimeSpan> UntilAsync(string url, Func<string?, bool> seen, Stopwatch clock) => UntilAsync(url, seen, 1, clock);

    /// <summary>
    /// How long after <paramref name="clock"/> started <paramref name="seen"/> held for <paramref name="inARow"/>
    /// answers in a row (the time of the first of them): a change of weight shows only over several requests.
    /// </summary>
    public async Task<TimeSpan> UntilAsync(string url, Func<string?, bool> seen, int inARow, Stopwatch clock)
    {
        var row = 0;
        var first = TimeSpan.Zero;
        while (row < inARow)
        {
            if (clock.Elapsed > BenchApi.Deadline)
            {
                throw new TimeoutException($"{url} never showed the change");
            }

            var sent = clock.Elapsed;
            if (seen(await ServedByAsync(url)))
            {
                first = row++ == 0 ? sent : first;
            }
            else
            {
                row = 0;
                await Task.Delay(Pause);
            }
        }

        return first;
    }

    public void Dispose() => _http.Dispose();
}
