using Leap.Core.Augmentation;

namespace Leap.Training.Distributed;

/// <summary>
/// Partial FC's choice of classifier rows for one step (the idea of InsightFace's partial_fc_v2): every class of the
/// global batch (positives) plus each other class with probability <see cref="Rate"/>. The coin of class c at step t is
/// a pure function of (seed, t, c), so the union of the shards' choices does not depend on the number of shards: a run
/// on N workers samples exactly the columns a run on one worker samples.
/// </summary>
public sealed class PartialFcSampler
{
    private const ulong Salt = 0x5A3B1EDFC0L;
    private readonly ulong _seed;
    private readonly ulong _threshold;

    /// <param name="rate">Fraction of the negative classes kept, in (0, 1]; 1 keeps every row.</param>
    public PartialFcSampler(double rate, long seed)
    {
        if (!(rate > 0 && rate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The sample rate must lie in (0, 1].");
        }
        Rate = rate;
        _seed = unchecked((ulong)seed) ^ Salt;
        _threshold = rate >= 1 ? ulong.MaxValue : (ulong)(rate * (1UL << 53));
    }

    public double Rate { get; }

    /// <summary>Sorted shard-local row indices: the shard's positives of <paramref name="globalLabels"/> and its sampled negatives.</summary>
    public long[] Rows(ReadOnlySpan<long> globalLabels, ClassShard shard, long step)
    {
        var keep = new bool[shard.Count];
        int kept = 0;
        foreach (long label in globalLabels)
        {
            if (shard.Contains(label) && !keep[label - shard.Start])
            {
                keep[label - shard.Start] = true;
                kept++;
            }
        }
        ulong key = CounterNormal.StepKey(_seed, step);
        for (int row = 0; row < keep.Length; row++)
        {
            if (!keep[row] && (CounterNormal.Mix(key ^ unchecked((ulong)(shard.Start + row))) >> 11) < _threshold)
            {
                keep[row] = true;
                kept++;
            }
        }
        if (kept == 0 && keep.Length > 0)
        {
            // A shard with no positive and no sampled negative still needs one column for the distributed softmax;
            // this is the one case in which the choice depends on the sharding (only with tiny shards or rates).
            keep[0] = true;
            kept = 1;
        }
        var rows = new long[kept];
        for (int row = 0, next = 0; row < keep.Length; row++)
        {
            if (keep[row])
            {
                rows[next++] = row;
            }
        }
        return rows;
    }
}
