using Leap.Core.Augmentation;

namespace Leap.Training.Data;

/// <summary>
/// Seeded data order: each epoch is a permutation of [0, N) that is a pure function of (seed, epoch); a step maps to
/// (epoch, position), and the batch of a step is the permutation's slice (the last incomplete batch is dropped).
/// Distributed runs slice the same global batch by rank (DistributedSampler semantics).
/// </summary>
public sealed class EpochPlan
{
    private int _cachedEpoch = -1;
    private int[] _cached = [];

    public EpochPlan(long seed, int sampleCount, int globalBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(globalBatchSize, 1);
        if (sampleCount < globalBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(globalBatchSize), globalBatchSize, $"The batch size exceeds the {sampleCount} training samples.");
        }
        Seed = seed;
        SampleCount = sampleCount;
        GlobalBatchSize = globalBatchSize;
        StepsPerEpoch = sampleCount / globalBatchSize;
    }

    public long Seed { get; }
    public int SampleCount { get; }
    public int GlobalBatchSize { get; }
    public int StepsPerEpoch { get; }

    public int EpochOf(long step) => (int)(step / StepsPerEpoch);

    /// <summary>The permutation of one epoch (4 bytes per sample; the sort keys are dropped once it is built).</summary>
    public int[] Permutation(int epoch)
    {
        if (epoch != _cachedEpoch)
        {
            ulong key = CounterNormal.Mix(CounterNormal.Mix(unchecked((ulong)Seed)) ^ (ulong)epoch);
            var keys = new ulong[SampleCount];
            var order = new int[SampleCount];
            for (int i = 0; i < SampleCount; i++)
            {
                keys[i] = CounterNormal.Mix(key ^ (ulong)i);
                order[i] = i;
            }
            Array.Sort(keys, order);
            _cached = order;
            _cachedEpoch = epoch;
        }
        return _cached;
    }

    /// <summary>Rows of the global batch of <paramref name="step"/> that belong to <paramref name="rank"/> of <paramref name="worldSize"/>.</summary>
    public ReadOnlySpan<long> Batch(long step, int rank = 0, int worldSize = 1)
    {
        if (GlobalBatchSize % worldSize != 0)
        {
            throw new ArgumentException($"The global batch {GlobalBatchSize} is not divisible by {worldSize} workers.", nameof(worldSize));
        }
        int epoch = EpochOf(step);
        int position = (int)(step % StepsPerEpoch);
        int local = GlobalBatchSize / worldSize;
        ReadOnlySpan<int> rows = Permutation(epoch).AsSpan(position * GlobalBatchSize + rank * local, local);
        var batch = new long[local];
        for (int i = 0; i < local; i++)
        {
            batch[i] = rows[i];
        }

        return batch;
    }
}
