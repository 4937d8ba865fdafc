using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;
using Fulcrum.Core.Snapshots;

namespace Fulcrum.Agent.Tests.Apply;

/// <summary>
/// The server's side of the agent channel, in memory: the snapshot long poll (answered at once when the revision
/// passed <c>after</c> or when the wait is 0, else when a new snapshot is published) and heartbeats, recorded.
/// </summary>
public sealed class FakeControlPlane : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private readonly List<NodeReport> _reports = [];
    private readonly List<(long? After, int WaitSeconds)> _polls = [];
    private ClusterSnapshot? _snapshot;
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<NodeReport> Reports
    {
        get
        {
            lock (_lock)
            {
                return [.. _reports];
            }
        }
    }

    public IReadOnlyList<(long? After, int WaitSeconds)> Polls
    {
        get
        {
            lock (_lock)
            {
                return [.. _polls];
            }
        }
    }

    public void Publish(ClusterSnapshot snapshot)
    {
        TaskCompletionSource published;
        lock (_lock)
        {
            _snapshot = snapshot;
            published = _published;
            _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        published.SetResult();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path == "/api/v1/agent/heartbeat")
        {
            var report = (await request.Content!.ReadFromJsonAsync<NodeReport>(FulcrumJson.Options, cancellationToken))!;
            lock (_lock)
            {
                _reports.Add(report);
            }

            return Json(new HeartbeatResponse(WholeReportWanted: false));
        }

        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
        long? after = query["after"] is { } text ? long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
        var wait = int.Parse(query["waitSeconds"]!, System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            ClusterSnapshot? snapshot;
            Task published;
            lock (_lock)
            {
                if (_polls.Count == 0 || _polls[^1] != (after, wait))
                {
                    _polls.Add((after, wait));
                }

                snapshot = _snapshot;
                published = _published.Task;
            }

            if (snapshot is not null && (after is null || snapshot.Revision > after))
            {
                return Json(snapshot);
            }

            if (wait == 0)
            {
                return new HttpResponseMessage(HttpStatusCode.NoContent);
            }

            await published.WaitAsync(cancellationToken);
        }
    }

    private static HttpResponseMessage Json<T>(T body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body, FulcrumJson.Options), System.Text.Encoding.UTF8, "application/json") };
}
