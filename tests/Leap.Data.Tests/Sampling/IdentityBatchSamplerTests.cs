using Leap.Data.Sampling;

namespace Leap.Data.Tests.Sampling;

public sealed class IdentityBatchSamplerTests
{
    /// <summary>Identity i has sizes[i] samples; samples are numbered identity by identity.</summary>
    private static int[] Labels(params int[] sizes) =>
        sizes.SelectMany((count, id) => Enumerable.Repeat(id, count)).ToArray();

    [Fact]
    public void Batches_EveryBatch_HasPDistinctIdentitiesWithKSamplesEach()
    {
        int[] labels = Labels(9, 4, 7, 12, 5, 6, 8, 4);
        var sampler = new IdentityBatchSampler(labels, identitiesPerBatch: 3, samplesPerIdentity: 4, seed: 1);

        IReadOnlyList<int[]> batches = sampler.Batches(epoch: 0);

        Assert.NotEmpty(batches);
        foreach (int[] batch in batches)
        {
            Assert.Equal(12, batch.Length);
            int[][] groups = batch.Chunk(4).ToArray();
            Assert.All(groups, g => Assert.Single(g.Select(i => labels[i]).Distinct()));
            Assert.Equal(3, groups.Select(g => labels[g[0]]).Distinct().Count());
        }
    }

    [Fact]
    public void Batches_IdentitiesWithAtLeastK_UseEachSampleAtMostOncePerEpoch()
    {
        int[] labels = Labels(9, 4, 7, 12, 5, 6, 8, 4);
        var sampler = new IdentityBatchSampler(labels, 2, 4, seed: 5);

        int[] used = sampler.Batches(0).SelectMany(b => b).ToArray();

        Assert.Equal(used.Length, used.Distinct().Count());
    }

    [Fact]
    public void Batches_EqualIdentities_ExhaustEveryChunk()
    {
        // 3 identities x 4 samples, K = 2: two chunks each; P = 3 takes one chunk of each per batch.
        var sampler = new IdentityBatchSampler(Labels(4, 4, 4), 3, 2, seed: 0);

        IReadOnlyList<int[]> batches = sampler.Batches(0);

        Assert.Equal(2, batches.Count);
        Assert.Equal(Enumerable.Range(0, 12), batches.SelectMany(b => b).Order());
    }

    [Fact]
    public void Batches_IdentityBelowK_TopsUpWithItsOwnSamples()
    {
        int[] labels = Labels(2, 8);
        var sampler = new IdentityBatchSampler(labels, 2, 4, seed: 3);

        int[] batch = Assert.Single(sampler.Batches(0));
        int[] small = batch.Where(i => labels[i] == 0).ToArray();

        Assert.Equal(4, small.Length);
        Assert.Equal(new[] { 0, 1 }, small.Distinct().Order());
    }

    [Fact]
    public void Batches_SameSeedAndEpoch_Identical_OtherEpochOrSeed_Differs()
    {
        int[] labels = Labels(9, 4, 7, 12, 5, 6, 8, 4);
        IReadOnlyList<int[]> Run(long seed, int epoch) => new IdentityBatchSampler(labels, 2, 2, seed).Batches(epoch);

        Assert.Equal(Run(7, 3), Run(7, 3));
        Assert.NotEqual(Run(7, 3), Run(7, 4));
        Assert.NotEqual(Run(7, 3), Run(8, 3));
    }

    [Fact]
    public void Batches_NegativeLabels_AreNeverDrawn()
    {
        int[] labels = [-1, 0, 0, -1, 1, 1, -1];
        var sampler = new IdentityBatchSampler(labels, 2, 2, seed: 0);

        Assert.All(sampler.Batches(0).SelectMany(b => b), i => Assert.True(labels[i] >= 0));
        Assert.Equal(2, sampler.IdentityCount);
    }

    [Fact]
    public void Constructor_MoreIdentitiesPerBatchThanPresent_Throws()
    {
        Assert.Throws<ArgumentException>(() => new IdentityBatchSampler(Labels(3, 3), 3, 2, seed: 0));
    }

    [Fact]
    public void BatchesForRank_TwoRanks_DisjointEqualAndInterleaved()
    {
        var sampler = new IdentityBatchSampler(Labels(9, 4, 7, 12, 5, 6, 8, 4, 6, 6, 6), 2, 2, seed: 11);
        IReadOnlyList<int[]> all = sampler.Batches(2);

        IReadOnlyList<int[]> rank0 = sampler.BatchesForRank(2, 0, 2);
        IReadOnlyList<int[]> rank1 = sampler.BatchesForRank(2, 1, 2);

        Assert.Equal(all.Count / 2, rank0.Count);
        Assert.Equal(rank0.Count, rank1.Count);
        Assert.Equal(all.Where((_, i) => i % 2 == 0).Take(rank0.Count), rank0);
        Assert.Equal(all.Where((_, i) => i % 2 == 1).Take(rank1.Count), rank1);
    }
}
