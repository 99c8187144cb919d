namespace Leap.Collectives.Ring;

/// <summary>What a rank does at each step of one ring collective: which segment it sends to its successor, which
/// it receives from its predecessor, and how it combines what it receives.</summary>
internal sealed class RingPlan
{
    private readonly Func<int, RingSegment?> _send;
    private readonly Func<int, RingSegment?> _receive;
    private readonly Func<int, RingCombine> _combine;

    private RingPlan(int steps, Func<int, RingSegment?> send, Func<int, RingSegment?> receive, Func<int, RingCombine> combine)
    {
        Steps = steps;
        _send = send;
        _receive = receive;
        _combine = combine;
    }

    public int Steps { get; }

    public RingSegment? Send(int step) => step >= 0 && step < Steps ? _send(step) : null;

    public RingSegment? Receive(int step) => step >= 0 && step < Steps ? _receive(step) : null;

    public RingCombine Combine(int step) => _combine(step);

    /// <summary>
    /// Reduce-scatter over <paramref name="segments"/> (one per rank): at step s rank r sends segment (r-s-1) mod N
    /// and accumulates segment (r-s-2) mod N into its own copy. After N-1 steps rank r holds segment r fully reduced,
    /// summed as ((x_{r+1} + x_{r+2}) + ...) + x_r (indices mod N). With <paramref name="thenAllGather"/> the owners'
    /// segments then travel N-1 more steps and are copied, so every rank ends with the owner's bits.
    /// </summary>
    public static RingPlan ReduceScatter(int rank, RingSegment[] segments, bool average, bool thenAllGather)
    {
        var n = segments.Length;
        var reduceSteps = n - 1;
        return new RingPlan(
            thenAllGather ? 2 * reduceSteps : reduceSteps,
            s => segments[Mod(rank - s - 1, n)],
            s => segments[Mod(rank - s - 2, n)],
            s => s < reduceSteps - 1 ? RingCombine.Accumulate
                : s == reduceSteps - 1 ? (average ? RingCombine.AccumulateThenAverage : RingCombine.Accumulate)
                : RingCombine.Copy);
    }

    /// <summary>Rank r starts with block r in place; at step s it sends block (r-s) mod N and receives block (r-s-1) mod N.</summary>
    public static RingPlan AllGather(int rank, RingSegment[] blocks)
    {
        var n = blocks.Length;
        return new RingPlan(n - 1, s => blocks[Mod(rank - s, n)], s => blocks[Mod(rank - s - 1, n)], _ => RingCombine.Copy);
    }

    /// <summary>A pipelined chain root → root+1 → ... → root-1: the rank at distance d receives at step d-1 and forwards at step d.</summary>
    public static RingPlan Broadcast(int rank, int root, int worldSize, RingSegment whole)
    {
        var distance = Mod(rank - root, worldSize);
        return new RingPlan(
            worldSize - 1,
            s => s == distance && distance < worldSize - 1 ? whole : null,
            s => s == distance - 1 ? whole : null,
            _ => RingCombine.Copy);
    }

    private static int Mod(int value, int n) => ((value % n) + n) % n;
}

internal enum RingCombine
{
    Copy,
    Accumulate,
    AccumulateThenAverage,
}
