using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

[Collection(GroupsCollection.Name)]
public sealed class AllGatherTests(Groups groups)
{
    [Theory]
    [MemberData(nameof(Groups.Cases), MemberType = typeof(Groups))]
    public async Task AllGather_EveryDtypeAndShape_ConcatenatesInRankOrderOnEveryRank(string kind, int worldSize)
    {
        var ranks = groups.Get(kind, worldSize);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Int64 })
        {
            foreach (var shape in new long[][] { [1], [7], [333, 3], [0, 4] })
            {
                var what = $"{kind} N={worldSize} all-gather {dtype}[{string.Join(",", shape)}]";
                var inputs = Reference.Inputs(worldSize, shape, dtype);
                var expected = cat(inputs, 0);

                var gathered = await Within.OnAllRanks(ranks, c => c.AllGatherAsync(inputs[c.Rank]), what);

                foreach (var g in gathered)
                {
                    Reference.AssertBitEqual(expected, g, what);
                }
            }
        }
    }
}
