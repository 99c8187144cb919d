using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

[Collection(GroupsCollection.Name)]
public sealed class AllReduceTests(Groups groups)
{
    [Theory]
    [MemberData(nameof(Groups.Cases), MemberType = typeof(Groups))]
    public async Task AllReduce_EveryOpAndDtype_MatchesReferenceAndIsBitIdenticalOnAllRanks(string kind, int worldSize)
    {
        var ranks = groups.Get(kind, worldSize);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Int64 })
        {
            foreach (var op in Enum.GetValues<ReduceOp>())
            {
                foreach (var shape in new long[][] { [1], [7], [1003], [5, 3] })
                {
                    var what = $"{kind} N={worldSize} {op} {dtype}[{string.Join(",", shape)}]";
                    var inputs = Reference.Inputs(worldSize, shape, dtype, seed: shape.Length + (int)op);
                    var expected = Reference.Reduce(inputs, op);
                    var tensors = inputs.Select(x => x.clone()).ToArray();

                    await Within.OnAllRanks(ranks, c => c.AllReduceAsync(tensors[c.Rank], op), what);

                    if (kind == "in-process")
                    {
                        Reference.AssertBitEqual(expected, tensors[0], what);
                    }
                    else
                    {
                        Reference.AssertEqualUpToSummationOrder(expected, tensors[0], op, what);
                    }

                    for (var r = 1; r < worldSize; r++)
                    {
                        Reference.AssertBitEqual(tensors[0], tensors[r], $"{what} rank {r} vs rank 0");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Groups.RingKinds), MemberType = typeof(Groups))]
    public async Task AllReduce_RingOfThree_SumsEachSegmentInTheDocumentedOrder(string kind)
    {
        // Segment j (balanced split: sizes 3, 2, 2 of 7 elements) is summed by rank j as (x_{j+1} + x_{j+2}) + x_j.
        var ranks = groups.Get(kind, 3);
        var inputs = Reference.Inputs(3, [7], ScalarType.Float32, seed: 11);
        var tensors = inputs.Select(x => x.clone()).ToArray();
        var expected = empty(7, ScalarType.Float32);
        var bounds = new[] { (0, 3), (3, 2), (5, 2) };
        for (var j = 0; j < 3; j++)
        {
            var (start, length) = bounds[j];
            var sum = inputs[(j + 1) % 3].narrow(0, start, length) + inputs[(j + 2) % 3].narrow(0, start, length) + inputs[j].narrow(0, start, length);
            expected.narrow(0, start, length).copy_(sum);
        }

        await Within.OnAllRanks(ranks, c => c.AllReduceAsync(tensors[c.Rank], ReduceOp.Sum), "ring all-reduce of 7 elements");

        foreach (var t in tensors)
        {
            Reference.AssertBitEqual(expected, t, "ring sum order");
        }
    }

    [Theory]
    [MemberData(nameof(Groups.Kinds), MemberType = typeof(Groups))]
    public async Task AllReduce_RepeatedWithSameInputs_GivesSameBitsEveryTime(string kind)
    {
        var ranks = groups.Get(kind, 3);
        var inputs = Reference.Inputs(3, [4099], ScalarType.Float32, seed: 5);
        Tensor? first = null;
        for (var repeat = 0; repeat < 5; repeat++)
        {
            var tensors = inputs.Select(x => x.clone()).ToArray();
            await Within.OnAllRanks(ranks, c => c.AllReduceAsync(tensors[c.Rank], ReduceOp.Average), $"{kind} repeat {repeat}");
            first ??= tensors[0];
            Reference.AssertBitEqual(first, tensors[repeat % 3], $"{kind} repeat {repeat}");
        }
    }
}
