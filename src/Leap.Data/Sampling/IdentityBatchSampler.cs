namespace Leap.Data.Sampling;

/// <summary>
/// P x K identity sampling for metric and re-identification training: every batch holds P distinct identities with K
/// samples each, laid out identity by identity (indices [i*K, (i+1)*K) belong to the i-th identity drawn).
/// Per epoch, each identity's samples are shuffled and cut into chunks of K (a remainder shorter than K is dropped);
/// an identity with fewer than K samples gives one chunk: all its samples, topped up by draws with replacement. Then
/// batches are drawn by picking P identities uniformly among those with chunks left, one chunk each, until fewer
/// than P identities have chunks. The batches are a pure function of (labels, P, K, seed, epoch).
/// </summary>
public sealed class IdentityBatchSampler
{
    private readonly int[][] _membersByIdentity;

    /// <param name="labels">Identity of each sample; samples with a negative label (junk) are never drawn.</param>
    /// <param name="identitiesPerBatch">P (&gt;= 1); at most the number of identities present.</param>
    /// <param name="samplesPerIdentity">K (&gt;= 1).</param>
    /// <param name="seed">Seed; with the epoch it fixes every batch.</param>
    public IdentityBatchSampler(IReadOnlyList<int> labels, int identitiesPerBatch, int samplesPerIdentity, long seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(identitiesPerBatch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerIdentity);
        _membersByIdentity = Enumerable.Range(0, labels.Count)
            .Where(i => labels[i] >= 0)
            .GroupBy(i => labels[i])
            .OrderBy(g => g.Key)
            .Select(g => g.ToArray())
            .ToArray();
        if (identitiesPerBatch > _membersByIdentity.Length)
        {
            throw new ArgumentException(
                $"P = {identitiesPerBatch} identities per batch, but the labels hold only {_membersByIdentity.Length}.",
                nameof(identitiesPerBatch));
        }

        IdentitiesPerBatch = identitiesPerBatch;
        SamplesPerIdentity = samplesPerIdentity;
        Seed = seed;
    }

    public int IdentitiesPerBatch { get; }
    public int SamplesPerIdentity { get; }
    public long Seed { get; }
    public int BatchSize => IdentitiesPerBatch * SamplesPerIdentity;
    public int IdentityCount => _membersByIdentity.Length;

    /// <summary>Every batch of <paramref name="epoch"/>, each of <see cref="BatchSize"/> sample indices.</summary>
    public IReadOnlyList<int[]> Batches(int epoch)
    {
        var random = SplitMix64.ForStream(Seed, epoch);
        var chunks = new Queue<int[]>[_membersByIdentity.Length];
        var available = new List<int>();
        for (int id = 0; id < _membersByIdentity.Length; id++)
        {
            chunks[id] = Chunk(_membersByIdentity[id], ref random);
            if (chunks[id].Count > 0)
            {
                available.Add(id);
            }
        }

        var batches = new List<int[]>();
        while (available.Count >= IdentitiesPerBatch)
        {
            var batch = new int[BatchSize];
            for (int p = 0; p < IdentitiesPerBatch; p++)
            {
                int pick = p + random.NextInt(available.Count - p);
                (available[p], available[pick]) = (available[pick], available[p]);
                chunks[available[p]].Dequeue().CopyTo(batch, p * SamplesPerIdentity);
            }

            available.RemoveAll(id => chunks[id].Count == 0);
            available.Sort();
            batches.Add(batch);
        }

        return batches;
    }

    /// <summary>
    /// The batches rank <paramref name="rank"/> of <paramref name="worldSize"/> trains on: batches rank, rank + W, ...,
    /// truncated so every rank gets the same number (collectives need equal step counts).
    /// </summary>
    public IReadOnlyList<int[]> BatchesForRank(int epoch, int rank, int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(worldSize);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        IReadOnlyList<int[]> all = Batches(epoch);
        int perRank = all.Count / worldSize;
        return Enumerable.Range(0, perRank).Select(i => all[(i * worldSize) + rank]).ToArray();
    }

    private Queue<int[]> Chunk(int[] members, ref SplitMix64 random)
    {
        int k = SamplesPerIdentity;
        int[] shuffled = (int[])members.Clone();
        for (int i = shuffled.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        var queue = new Queue<int[]>();
        if (shuffled.Length < k)
        {
            int[] chunk = new int[k];
            shuffled.CopyTo(chunk, 0);
            for (int i = shuffled.Length; i < k; i++)
            {
                chunk[i] = shuffled[random.NextInt(shuffled.Length)];
            }

            queue.Enqueue(chunk);
            return queue;
        }

        for (int start = 0; start + k <= shuffled.Length; start += k)
        {
            queue.Enqueue(shuffled[start..(start + k)]);
        }

        return queue;
    }
}
