using System.IO.Compression;
using System.Text.Json;
using Fulcrum.Core.Json;

namespace Fulcrum.Server.Snapshots;

/// <summary>
/// The latest snapshot of each cluster, built once and encoded once (JSON, and gzip for the wire), for every agent of
/// the cluster that asks: a revision wakes all of a cluster's long polls at the same moment, and building and
/// serializing the whole desired state once per watcher made the server's work grow with cluster size times
/// watchers. A revision's snapshot never changes (whatever reaches the nodes moves the revision), so it can be shared
/// until a newer revision is asked for. Concurrent askers of a revision not built yet share one build.
/// </summary>
/// <remarks>
/// The cached snapshot holds private keys in the clear, as every build does while it is sent; it is dropped when a
/// newer revision of its cluster replaces it.
/// </remarks>
public sealed class SnapshotCache(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<EncodedSnapshot?>> _latest = new(StringComparer.Ordinal);

    /// <summary>
    /// The snapshot of <paramref name="clusterId"/> at revision <paramref name="atLeast"/> or later; null when the
    /// cluster does not exist.
    /// </summary>
    public async Task<EncodedSnapshot?> GetAsync(string clusterId, long atLeast, CancellationToken ct)
    {
        while (true)
        {
            Task<EncodedSnapshot?>? build;
            lock (_gate)
            {
                if (!_latest.TryGetValue(clusterId, out build) || Spent(build, atLeast))
                {
                    build = BuildAsync(clusterId);
                    _latest[clusterId] = build;
                }
            }

            var snapshot = await build.WaitAsync(ct);
            if (snapshot is null || snapshot.Revision >= atLeast)
            {
                return snapshot;
            }

            // A build already under way when the revision moved on: take the next one.
        }
    }

    /// <summary>A build under way is shared; a finished one only when it holds the revision asked for.</summary>
    private static bool Spent(Task<EncodedSnapshot?> build, long atLeast) =>
        build.IsCompleted && (!build.IsCompletedSuccessfully || build.Result is null || build.Result.Revision < atLeast);

    /// <summary>Runs on the server's lifetime, not on the asker's: another agent may be waiting for it.</summary>
    private async Task<EncodedSnapshot?> BuildAsync(string clusterId)
    {
        await Task.Yield();
        await using var scope = scopes.CreateAsyncScope();
        var snapshot = await scope.ServiceProvider.GetRequiredService<SnapshotBuilder>()
            .BuildAsync(clusterId, includePrivateKeys: true, lifetime.ApplicationStopping);
        if (snapshot is null)
        {
            return null;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(snapshot, FulcrumJson.Options);
        using var gzip = new MemoryStream();
        await using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest))
        {
            compressor.Write(json);
        }

        return new EncodedSnapshot(snapshot.Revision, json, gzip.ToArray());
    }
}

/// <summary>A snapshot as sent: its JSON, and the same gzip-compressed for agents that accept it.</summary>
public sealed record EncodedSnapshot(long Revision, byte[] Json, byte[] Gzip);
