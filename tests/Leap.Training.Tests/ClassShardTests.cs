using Leap.Training.Distributed;

namespace Leap.Training.Tests;

public class ClassShardTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(7, 7)]
    [InlineData(25000, 4)]
    [InlineData(11, 1)]
    public void For_AllRanks_CoverEveryClassOnceWithBalancedCounts(int classes, int world)
    {
        var shards = Enumerable.Range(0, world).Select(r => ClassShard.For(classes, r, world)).ToArray();

        Assert.Equal(0, shards[0].Start);
        for (int r = 1; r < world; r++)
        {
            Assert.Equal(shards[r - 1].Start + shards[r - 1].Count, shards[r].Start);
        }
        Assert.Equal(classes, shards.Sum(s => s.Count));
        Assert.True(shards.Max(s => s.Count) - shards.Min(s => s.Count) <= 1);
    }

    [Fact]
    public void For_TenClassesThreeRanks_MatchesInsightFaceFormula()
    {
        // num_local = C / W + (rank < C % W), start = C / W * rank + min(rank, C % W)
        Assert.Equal(new ClassShard(0, 4, 0, 3, 10), ClassShard.For(10, 0, 3));
        Assert.Equal(new ClassShard(4, 3, 1, 3, 10), ClassShard.For(10, 1, 3));
        Assert.Equal(new ClassShard(7, 3, 2, 3, 10), ClassShard.For(10, 2, 3));
    }

    [Fact]
    public void For_RankOutsideWorld_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassShard.For(10, 3, 3));
}
