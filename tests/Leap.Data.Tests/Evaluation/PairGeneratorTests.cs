using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

public sealed class PairGeneratorTests
{
    private static readonly int[] Labels = Enumerable.Range(0, 60).Select(i => i % 7).ToArray();

    [Fact]
    public void Generate_RequestedCounts_ReturnsDistinctValidPairsOfTheRightKind()
    {
        PairSet pairs = PairGenerator.Generate(Labels, positives: 100, negatives: 150, seed: 11);

        Assert.Equal((100, 150), (pairs.PositiveCount, pairs.NegativeCount));
        Assert.All(pairs, p => Assert.NotEqual(p.First, p.Second));
        Assert.All(pairs, p => Assert.Equal(Labels[p.First] == Labels[p.Second], p.IsSame));
        Assert.Equal(250, pairs.Select(p => (Math.Min(p.First, p.Second), Math.Max(p.First, p.Second))).Distinct().Count());
    }

    [Fact]
    public void Generate_SameSeed_SameOrderedPairs()
    {
        Assert.Equal(PairGenerator.Generate(Labels, 40, 40, 5), PairGenerator.Generate(Labels, 40, 40, 5));
        Assert.NotEqual(PairGenerator.Generate(Labels, 40, 40, 5), PairGenerator.Generate(Labels, 40, 40, 6));
    }

    [Fact]
    public void Generate_Output_InterleavesPositivesAndNegatives()
    {
        PairSet pairs = PairGenerator.Generate(Labels, 100, 100, 1);

        Assert.InRange(pairs.Take(50).Count(p => p.IsSame), 10, 40);
    }

    [Fact]
    public void Generate_EveryAvailablePair_ReturnsThemAll()
    {
        int[] labels = [0, 0, 0, 1, 1];

        PairSet pairs = PairGenerator.Generate(labels, positives: 4, negatives: 6, seed: 0);

        Assert.Equal(
            new[] { (0, 1), (0, 2), (1, 2), (3, 4) },
            pairs.Where(p => p.IsSame).Select(p => (p.First, p.Second)).Order());
        Assert.Equal(6, pairs.Count(p => !p.IsSame));
    }

    [Fact]
    public void Generate_MorePositivesThanExist_ThrowsNamingPositives()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PairGenerator.Generate([0, 0, 1], 2, 0, 0));

        Assert.Equal("positives", e.ParamName);
    }
}
