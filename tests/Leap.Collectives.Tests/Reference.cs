using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

/// <summary>Straightforward references: inputs per rank and results computed with plain torch ops in rank order.</summary>
internal static class Reference
{
    /// <summary>Distinct data per rank (seeded), with values that make sums order-sensitive for floats.</summary>
    public static Tensor[] Inputs(int worldSize, long[] shape, ScalarType dtype, int seed = 7)
    {
        var generator = new Generator((ulong)seed);
        return Enumerable.Range(0, worldSize).Select(_ => dtype == ScalarType.Int64
            ? randint(-1000, 1000, shape, dtype: ScalarType.Int64, generator: generator)
            : (randn(shape, dtype: ScalarType.Float64, generator: generator) * 100).to_type(dtype)).ToArray();
    }

    /// <summary>((x_0 op x_1) op x_2) ..., then / N for Average (int64 truncates).</summary>
    public static Tensor Reduce(IReadOnlyList<Tensor> inputs, ReduceOp op)
    {
        var result = inputs[0].clone();
        foreach (var x in inputs.Skip(1))
        {
            result = op switch
            {
                ReduceOp.Max => maximum(result, x),
                ReduceOp.Min => minimum(result, x),
                _ => result + x,
            };
        }

        return op != ReduceOp.Average ? result
            : result.dtype == ScalarType.Int64 ? result.div(inputs.Count, rounding_mode: RoundingMode.trunc)
            : result / inputs.Count;
    }

    public static bool BitEqual(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && (a.numel() == 0 || a.bytes.SequenceEqual(b.bytes));

    public static void AssertBitEqual(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        if (!BitEqual(expected, actual))
        {
            Assert.Fail($"{what}: not bit-identical; max |diff| = {MaxAbsDifference(expected, actual)}");
        }
    }

    /// <summary>Exact for int64 and Max/Min (no rounding involved); float sums within summation-order rounding.</summary>
    public static void AssertEqualUpToSummationOrder(Tensor expected, Tensor actual, ReduceOp op, string what)
    {
        if (expected.dtype == ScalarType.Int64 || op is ReduceOp.Max or ReduceOp.Min)
        {
            AssertBitEqual(expected, actual, what);
            return;
        }

        var tolerance = expected.dtype == ScalarType.Float32 ? 1e-4 : 1e-10;
        if (!expected.allclose(actual, rtol: tolerance, atol: tolerance * 100))
        {
            Assert.Fail($"{what}: max |diff| = {MaxAbsDifference(expected, actual)}");
        }
    }

    private static double MaxAbsDifference(Tensor expected, Tensor actual) =>
        (expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max().item<double>();
}
