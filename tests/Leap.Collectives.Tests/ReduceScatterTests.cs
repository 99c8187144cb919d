using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

[Collection(GroupsCollection.Name)]
public sealed class ReduceScatterTests(Groups groups)
{
    [Theory]
    [MemberData(nameof(Groups.Cases), MemberType = typeof(Groups))]
    public async Task ReduceScatter_EveryOpAndDtype_GivesEachRankItsSliceOfTheReduction(string kind, int worldSize)
    {
        var ranks = groups.Get(kind, worldSize);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Int64 })
        {
            foreach (var op in Enum.GetValues<ReduceOp>())
            {
                foreach (var rowsPerRank in new[] { 1, 37 })
                {
                    var what = $"{kind} N={worldSize} reduce-scatter {op} {dtype} {rowsPerRank} rows/rank";
                    var inputs = Reference.Inputs(worldSize, [rowsPerRank * worldSize, 3], dtype, seed: rowsPerRank + (int)op);
                    var expected = Reference.Reduce(inputs, op);

                    var slices = await Within.OnAllRanks(ranks, c => c.ReduceScatterAsync(inputs[c.Rank], op), what);

                    for (var r = 0; r < worldSize; r++)
                    {
                        var mine = expected.narrow(0, r * rowsPerRank, rowsPerRank);
                        if (kind == "in-process")
                        {
                            Reference.AssertBitEqual(mine, slices[r], $"{what} rank {r}");
                        }
                        else
                        {
                            Reference.AssertEqualUpToSummationOrder(mine, slices[r], op, $"{what} rank {r}");
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Groups.Kinds), MemberType = typeof(Groups))]
    public async Task ReduceScatter_Dim0NotDivisibleByWorldSize_ThrowsArgumentException(string kind)
    {
        var ranks = groups.Get(kind, 2);
        using var odd = ones(3, 2);

        var error = await Within.Await(Assert.ThrowsAsync<ArgumentException>(() => ranks[0].ReduceScatterAsync(odd, ReduceOp.Sum)), "argument check");

        Assert.Contains("divisible", error.Message, StringComparison.Ordinal);
    }
}
