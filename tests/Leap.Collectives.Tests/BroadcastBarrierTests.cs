using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

[Collection(GroupsCollection.Name)]
public sealed class BroadcastBarrierTests(Groups groups)
{
    [Theory]
    [MemberData(nameof(Groups.Cases), MemberType = typeof(Groups))]
    public async Task Broadcast_FromEveryRoot_CopiesRootTensorToEveryRank(string kind, int worldSize)
    {
        var ranks = groups.Get(kind, worldSize);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Int64 })
        {
            foreach (var shape in new long[][] { [1], [1003], [17, 5] })
            {
                for (var root = 0; root < worldSize; root++)
                {
                    var what = $"{kind} N={worldSize} broadcast {dtype}[{string.Join(",", shape)}] from {root}";
                    var inputs = Reference.Inputs(worldSize, shape, dtype, seed: root);
                    var expected = inputs[root].clone();

                    await Within.OnAllRanks(ranks, c => c.BroadcastAsync(inputs[c.Rank], root), what);

                    foreach (var t in inputs)
                    {
                        Reference.AssertBitEqual(expected, t, what);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Groups.Cases), MemberType = typeof(Groups))]
    public async Task Barrier_LastRankArrivesLate_NoRankLeavesBeforeIt(string kind, int worldSize)
    {
        var ranks = groups.Get(kind, worldSize);
        var late = ranks[worldSize - 1];
        var released = new bool[worldSize];
        var early = ranks.Take(worldSize - 1).Select(c => Task.Run(async () =>
        {
            await c.BarrierAsync();
            released[c.Rank] = true;
        })).ToArray();

        // The early ranks cannot have left: the last one has not called the barrier yet.
        Assert.DoesNotContain(early, t => t.IsCompleted);
        Assert.DoesNotContain(true, released);
        await Within.Await(late.BarrierAsync(), $"{kind} N={worldSize} barrier (late rank)");
        await Within.Await(Task.WhenAll(early), $"{kind} N={worldSize} barrier (early ranks)");

        Assert.All(Enumerable.Range(0, worldSize - 1), r => Assert.True(released[r]));
    }

    [Theory]
    [MemberData(nameof(Groups.Kinds), MemberType = typeof(Groups))]
    public async Task Broadcast_RootOutOfRange_ThrowsArgumentOutOfRange(string kind)
    {
        var ranks = groups.Get(kind, 2);
        using var t = ones(3);

        await Within.Await(Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ranks[0].BroadcastAsync(t, 2)), "argument check");
    }
}
