using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

public sealed class InProcessFailureTests
{
    [Fact]
    public async Task AllReduce_ShapesDifferAcrossRanks_EveryRankThrowsListingEachRanksCall()
    {
        var ranks = InProcessCollectives.Create(3, TimeSpan.FromSeconds(20));
        var tensors = new[] { ones(10), ones(10), ones(12) };

        var calls = ranks.Select(c => Task.Run(() => c.AllReduceAsync(tensors[c.Rank], ReduceOp.Sum))).ToArray();

        foreach (var call in calls)
        {
            var error = await Within.Await(Assert.ThrowsAsync<CollectiveMismatchException>(() => call), "every rank to fail");
            Assert.Contains("rank 0: AllReduce(float32[10], Sum)", error.Message, StringComparison.Ordinal);
            Assert.Contains("rank 2: AllReduce(float32[12], Sum)", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AllReduce_OneRankNeverCalls_OthersTimeOutNamingIt()
    {
        var ranks = InProcessCollectives.Create(3, TimeSpan.FromSeconds(1));
        using var t0 = ones(4);
        using var t1 = ones(4);

        var first = Task.Run(() => ranks[0].AllReduceAsync(t0, ReduceOp.Sum));
        var second = Task.Run(() => ranks[1].AllReduceAsync(t1, ReduceOp.Sum));

        var error = await Within.Await(Assert.ThrowsAsync<TimeoutException>(() => first), "rank 0 to time out");
        Assert.Contains("ranks [2] never called it", error.Message, StringComparison.Ordinal);
        await Within.Await(Assert.ThrowsAnyAsync<Exception>(() => second), "rank 1 to fail too");
    }

    [Fact]
    public async Task AllReduce_RankLeftTheGroup_WaitingRanksFailImmediately()
    {
        var ranks = InProcessCollectives.Create(2, TimeSpan.FromSeconds(30));
        using var t = ones(4);
        var waiting = Task.Run(() => ranks[0].AllReduceAsync(t, ReduceOp.Sum));

        await Within.Await(ranks[1].DisposeAsync().AsTask(), "rank 1 to leave");

        await Within.Await(Assert.ThrowsAnyAsync<Exception>(() => waiting), "rank 0 to fail well before its 30 s timeout", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AllReduce_Int32Tensor_ThrowsArgumentExceptionNamingSupportedTypes()
    {
        var ranks = InProcessCollectives.Create(1);
        using var t = ones(4, ScalarType.Int32);

        var error = await Within.Await(Assert.ThrowsAsync<ArgumentException>(() => ranks[0].AllReduceAsync(t, ReduceOp.Sum)), "argument check");

        Assert.Contains("float32, float64 and int64", error.Message, StringComparison.Ordinal);
    }
}
