using Fulcrum.Core.Api;

namespace Fulcrum.Server.Listeners;

/// <summary>A listener's traffic over one step: per second, summed over the nodes that carried it.</summary>
public sealed record ListenerRatePoint(
    DateTimeOffset Start, double ConnectionsPerSecond, double BytesInPerSecond, double BytesOutPerSecond, HttpResponseRates Responses);

/// <summary>HTTP responses per second by status class.</summary>
public sealed record HttpResponseRates(double Informational, double Success, double Redirection, double ClientError, double ServerError, double Other)
{
    public static HttpResponseRates Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public static HttpResponseRates Of(HttpResponseCounts increase, double seconds) => new(
        increase.Informational / seconds,
        increase.Success / seconds,
        increase.Redirection / seconds,
        increase.ClientError / seconds,
        increase.ServerError / seconds,
        increase.Other / seconds);
}

/// <summary>
/// The last hour of each listener's traffic as rates, for the console's charts. Heartbeats carry cumulative counters;
/// a chart of those only ever climbs, so every sample is turned into the increase since the node's previous one and
/// added to the step it arrived in. A counter that went down means haproxy restarted and counts from zero again: the
/// increase is then the new value. Kept in memory, bounded (a fixed ring of steps per listener, dropped an hour after
/// its last sample, so deleted listeners go too): the history starts again with the server, which is fine for a chart
/// of the last hour.
/// </summary>
public sealed class ListenerRateHistory(TimeProvider time)
{
    /// <summary>Several heartbeats (2 s apart by default) fall into one step, so a step's rate does not jitter with their timing.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Span = TimeSpan.FromHours(1);

    private static readonly int Slots = (int)(Span / Step);

    private readonly Dictionary<string, Ring> rings = new(StringComparer.Ordinal);

    private readonly Lock gate = new();

    private long sweptAt;

    /// <summary>Takes a node's counters of listeners of its cluster, as accepted from its heartbeat.</summary>
    public void Record(string nodeId, IEnumerable<ListenerCounters> samples, DateTime at)
    {
        var step = StepOf(at);
        lock (gate)
        {
            if (step != sweptAt)
            {
                sweptAt = step;
                foreach (var (id, _) in rings.Where(r => r.Value.LastStep <= step - Slots).ToList())
                {
                    rings.Remove(id);
                }
            }

            foreach (var sample in samples)
            {
                if (!rings.TryGetValue(sample.ListenerId, out var ring))
                {
                    ring = new Ring(step);
                    rings.Add(sample.ListenerId, ring);
                }

                ring.Add(nodeId, sample, step);
            }
        }
    }

    /// <summary>The node stopped serving these listeners: its next counters of them start a new baseline.</summary>
    public void Forget(string nodeId, IEnumerable<string> listenerIds)
    {
        lock (gate)
        {
            foreach (var id in listenerIds)
            {
                if (rings.TryGetValue(id, out var ring))
                {
                    ring.Last.Remove(nodeId);
                }
            }
        }
    }

    /// <summary>
    /// The complete steps of the last <paramref name="window"/> (at most an hour), oldest first; none from before the
    /// listener's first sample, so a chart does not show an hour of made-up silence after a server restart.
    /// </summary>
    public IReadOnlyList<ListenerRatePoint> Rates(string listenerId, TimeSpan window)
    {
        var current = StepOf(time.GetUtcNow().UtcDateTime);
        var steps = Math.Clamp((long)(window / Step), 1, Slots);
        lock (gate)
        {
            if (!rings.TryGetValue(listenerId, out var ring))
            {
                return [];
            }

            var first = Math.Max(current - steps, ring.FirstStep);
            var seconds = Step.TotalSeconds;
            var points = new List<ListenerRatePoint>((int)Math.Max(0, current - first));
            for (var step = first; step < current; step++)
            {
                var slot = ring.Slot(step);
                points.Add(slot is { } s
                    ? new(StartOf(step), s.Connections / seconds, s.BytesIn / seconds, s.BytesOut / seconds, HttpResponseRates.Of(s.Responses, seconds))
                    : new(StartOf(step), 0, 0, 0, HttpResponseRates.Zero));
            }

            return points;
        }
    }

    private static long StepOf(DateTime at) => at.Ticks / Step.Ticks;

    private static DateTimeOffset StartOf(long step) => new(step * Step.Ticks, TimeSpan.Zero);

    private static long Increase(long now, long before) => now >= before ? now - before : now;

    private static HttpResponseCounts Increase(HttpResponseCounts now, HttpResponseCounts before) => new(
        Increase(now.Informational, before.Informational),
        Increase(now.Success, before.Success),
        Increase(now.Redirection, before.Redirection),
        Increase(now.ClientError, before.ClientError),
        Increase(now.ServerError, before.ServerError),
        Increase(now.Other, before.Other));

    private sealed class Ring(long firstStep)
    {
        private readonly Increases[] slots = new Increases[Slots];

        private readonly long[] slotSteps = Enumerable.Repeat(-1L, Slots).ToArray();

        public long FirstStep { get; } = firstStep;

        public long LastStep { get; private set; } = firstStep;

        public Dictionary<string, ListenerCounters> Last { get; } = new(StringComparer.Ordinal);

        public void Add(string nodeId, ListenerCounters sample, long step)
        {
            LastStep = Math.Max(LastStep, step);
            if (Last.TryGetValue(nodeId, out var before))
            {
                var index = (int)(step % Slots);
                if (slotSteps[index] != step)
                {
                    slotSteps[index] = step;
                    slots[index] = default;
                }

                slots[index] = slots[index].Plus(
                    Increase(sample.TotalConnections, before.TotalConnections),
                    Increase(sample.BytesIn, before.BytesIn),
                    Increase(sample.BytesOut, before.BytesOut),
                    Increase(sample.Responses ?? HttpResponseCounts.Zero, before.Responses ?? HttpResponseCounts.Zero));
            }

            Last[nodeId] = sample;
        }

        public Increases? Slot(long step)
        {
            var index = (int)(step % Slots);
            return slotSteps[index] == step ? slots[index] : null;
        }
    }

    /// <summary>Sums saturate: a node may report counters up to long.MaxValue.</summary>
    private readonly record struct Increases(long Connections, long BytesIn, long BytesOut, HttpResponseCounts? Counted)
    {
        public HttpResponseCounts Responses => Counted ?? HttpResponseCounts.Zero;

        public Increases Plus(long connections, long bytesIn, long bytesOut, HttpResponseCounts responses) =>
            new(Add(Connections, connections), Add(BytesIn, bytesIn), Add(BytesOut, bytesOut), Responses.Plus(responses));

        private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
    }
}
