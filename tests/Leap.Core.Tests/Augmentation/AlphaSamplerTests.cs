using Leap.Core.Augmentation;
using static TorchSharp.torch;

namespace Leap.Core.Tests.Augmentation;

public class AlphaSamplerTests
{
    private const ulong Seed = 1234;

    [Fact]
    public void Sample_PerColumn_DrawTimesRowStdExactly()
    {
        using var scope = NewDisposeScope();
        var sampler = new AlphaSampler(Seed, AlphaMode.PerColumn);
        long[] indices = [10, 20, 30, 40];
        var columns = arange(0L, 5L, dtype: ScalarType.Int64);

        var alpha = sampler.Sample(8, tensor(new[] { 1.0, 0.0, 2.0, 0.3 }), tensor(indices), columns, ScalarType.Float64);
        var draws = CounterNormal.Sample(CounterNormal.StepKey(Seed, 8), tensor(indices), columns, ScalarType.Float64);

        Assert.Equal([4L, 5L], alpha.shape);
        Assert.Equal(ScalarType.Float64, alpha.dtype);
        Assert.Equal(Row(draws, 0), Row(alpha, 0));
        Assert.Equal(new double[5], Row(alpha, 1));
        Assert.Equal(Row(draws, 2).Select(d => d * 2.0).ToArray(), Row(alpha, 2));
        Assert.Equal(Row(draws, 3).Select(d => d * 0.3).ToArray(), Row(alpha, 3));
        Assert.All(Row(alpha, 0), v => Assert.NotEqual(0.0, v));
    }

    [Fact]
    public void Sample_AllStdZero_ExactlyZero()
    {
        using var scope = NewDisposeScope();
        var sampler = new AlphaSampler(Seed, AlphaMode.PerColumn);

        var alpha = sampler.Sample(0, zeros(3, ScalarType.Float64), tensor(new long[] { 1, 2, 3 }), arange(0L, 4L, dtype: ScalarType.Int64), ScalarType.Float32);

        Assert.Equal([3L, 4L], alpha.shape);
        Assert.Equal(new float[12], alpha.data<float>().ToArray());
    }

    [Fact]
    public void Sample_RowsInDifferentBatchOrder_SameAlphaPerSample()
    {
        using var scope = NewDisposeScope();
        var sampler = new AlphaSampler(Seed, AlphaMode.PerColumn);
        var columns = arange(0L, 6L, dtype: ScalarType.Int64);

        var a = sampler.Sample(42, tensor(new[] { 0.5, 1.2 }), tensor(new long[] { 3, 7 }), columns, ScalarType.Float64);
        var b = sampler.Sample(42, tensor(new[] { 1.2, 0.5, 0.8 }), tensor(new long[] { 7, 3, 9 }), columns, ScalarType.Float64);

        Assert.Equal(Row(a, 0), Row(b, 1));
        Assert.Equal(Row(a, 1), Row(b, 0));
    }

    [Fact]
    public void Sample_ColumnsSplitIntoShards_ConcatenationEqualsOneShard()
    {
        using var scope = NewDisposeScope();
        var sampler = new AlphaSampler(Seed, AlphaMode.PerColumn);
        var std = tensor(new[] { 0.5, 0.0, 1.5 });
        var indices = tensor(new long[] { 100, 5, 77 });

        var whole = sampler.Sample(9, std, indices, arange(0L, 10L, dtype: ScalarType.Int64), ScalarType.Float64);
        var shard0 = sampler.Sample(9, std, indices, arange(0L, 4L, dtype: ScalarType.Int64), ScalarType.Float64);
        var shard1 = sampler.Sample(9, std, indices, arange(4L, 10L, dtype: ScalarType.Int64), ScalarType.Float64);

        Assert.Equal(whole.data<double>().ToArray(), cat([shard0, shard1], 1).contiguous().data<double>().ToArray());
    }

    [Fact]
    public void Sample_DifferentStepOrSeed_DifferentAlpha()
    {
        using var scope = NewDisposeScope();
        var std = ones(4, ScalarType.Float64);
        var indices = tensor(new long[] { 0, 1, 2, 3 });
        var columns = arange(0L, 3L, dtype: ScalarType.Int64);

        double[] baseline = new AlphaSampler(Seed, AlphaMode.PerColumn).Sample(1, std, indices, columns, ScalarType.Float64).data<double>().ToArray();
        double[] nextStep = new AlphaSampler(Seed, AlphaMode.PerColumn).Sample(2, std, indices, columns, ScalarType.Float64).data<double>().ToArray();
        double[] otherSeed = new AlphaSampler(Seed + 1, AlphaMode.PerColumn).Sample(1, std, indices, columns, ScalarType.Float64).data<double>().ToArray();
        double[] again = new AlphaSampler(Seed, AlphaMode.PerColumn).Sample(1, std, indices, columns, ScalarType.Float64).data<double>().ToArray();

        Assert.Equal(baseline, again);
        Assert.All(Enumerable.Range(0, baseline.Length), i => Assert.NotEqual(baseline[i], nextStep[i]));
        Assert.All(Enumerable.Range(0, baseline.Length), i => Assert.NotEqual(baseline[i], otherSeed[i]));
    }

    [Fact]
    public void Sample_PerSample_ReturnsBxOneIndependentOfShardColumns()
    {
        using var scope = NewDisposeScope();
        var sampler = new AlphaSampler(Seed, AlphaMode.PerSample);
        long[] indices = [3, 7, 9];
        var std = tensor(new[] { 1.0, 0.0, 0.25 });

        var alpha = sampler.Sample(5, std, tensor(indices), arange(0L, 6L, dtype: ScalarType.Int64), ScalarType.Float64);
        var otherShard = sampler.Sample(5, std, tensor(indices), arange(6L, 8L, dtype: ScalarType.Int64), ScalarType.Float64);
        var draws = CounterNormal.Sample(CounterNormal.StepKey(Seed, 5), tensor(indices), tensor(new long[] { -1 }), ScalarType.Float64)
            .data<double>().ToArray();

        Assert.Equal([3L, 1L], alpha.shape);
        double[] values = alpha.data<double>().ToArray();
        Assert.Equal([draws[0], 0.0, draws[2] * 0.25], values);
        Assert.Equal(values, otherShard.data<double>().ToArray());
    }

    [Fact]
    public void Sample_Float32_CastOfFloat64Product()
    {
        using var scope = NewDisposeScope();
        var sampler = new AlphaSampler(Seed, AlphaMode.PerColumn);
        long[] indices = [1, 2];
        var columns = arange(0L, 3L, dtype: ScalarType.Int64);

        var alpha = sampler.Sample(0, tensor(new[] { 0.7, 0.2 }), tensor(indices), columns, ScalarType.Float32);
        double[] draws = CounterNormal.Sample(CounterNormal.StepKey(Seed, 0), tensor(indices), columns, ScalarType.Float64).data<double>().ToArray();

        Assert.Equal(ScalarType.Float32, alpha.dtype);
        float[] expected = draws.Select((d, i) => (float)(d * (i < 3 ? 0.7 : 0.2))).ToArray();
        Assert.Equal(expected, alpha.data<float>().ToArray());
    }

    private static double[] Row(Tensor t, long row) => t[row].contiguous().data<double>().ToArray();
}
