using Leap.Core.Augmentation;
using static TorchSharp.torch;

namespace Leap.Core.Tests.Augmentation;

public class CounterNormalTests
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    [Fact]
    public void Mix_SplitMix64States_EqualsPublishedSeedZeroSequence()
    {
        // SplitMix64 next(): state += golden; return finalise(state). Mix(x) = finalise(x + golden), so the n-th output
        // of a generator seeded with 0 is Mix((n - 1) * golden).
        Assert.Equal(0xE220A8397B1DCDAFUL, CounterNormal.Mix(0));
        Assert.Equal(0x6E789E6AA1B965F4UL, CounterNormal.Mix(Golden));
        Assert.Equal(0x06C45D188009454FUL, CounterNormal.Mix(unchecked(2 * Golden)));
    }

    [Fact]
    public void Mix_OtherKeys_MatchesIndependentPythonSplitMix64()
    {
        // computed with arbitrary-precision Python integers masked to 64 bits
        Assert.Equal(0x910A2DEC89025CC1UL, CounterNormal.Mix(1));
        Assert.Equal(0xE4D971771B652C20UL, CounterNormal.Mix(ulong.MaxValue));
        Assert.Equal(0x599ED017FB08FC85UL, CounterNormal.Mix(1234567));
    }

    [Fact]
    public void Draw_Keys_EqualsTheDocumentedSchemeBitForBit()
    {
        ulong stepKey = CounterNormal.StepKey(7, 123);
        foreach (long sample in new long[] { 0, 5, 1_000_003, -1, long.MaxValue })
        {
            foreach (long column in new long[] { 0, 2, 99, -1, long.MinValue })
            {
                Assert.Equal(Reference(stepKey, sample, column), CounterNormal.Draw(stepKey, sample, column));
            }
        }
    }

    /// <summary>Bits printed by tests/reference/counter_normal_golden.py (Python integers and the C library's log / cos).</summary>
    [Theory]
    [InlineData(7UL, 123L, 0L, 0L, 0xBFE4791E22709AE8UL)] // -0.6397848770764911
    [InlineData(7UL, 123L, 5L, 2L, 0xBFED5A3B83A6858CUL)] // -0.9172647067354531
    [InlineData(7UL, 123L, 1000003L, 99L, 0x3FDC6EFFEA7AF0A0UL)] // 0.44427488230190626
    [InlineData(7UL, 123L, -1L, -1L, 0xBFF27041D54E39FCUL)] // -1.1524065334557454
    [InlineData(2020UL, 0L, 42L, 511L, 0x3FE9258A6907BF3FUL)] // 0.78583260072444
    [InlineData(1UL, 1L, 9999999L, 123456L, 0x3FF922DD5B488D8CUL)] // 1.5710118833311268
    public void Draw_EqualsThePythonGoldenValues(ulong seed, long step, long sample, long column, ulong bits) =>
        Assert.Equal(bits, BitConverter.DoubleToUInt64Bits(CounterNormal.Draw(CounterNormal.StepKey(seed, step), sample, column)));

    [Fact]
    public void Sample_Float32_IsTheFloat64DrawRounded()
    {
        using var scope = NewDisposeScope();
        ulong stepKey = CounterNormal.StepKey(3, 9);
        var samples = tensor(new long[] { 1, 2, 3 });
        var columns = arange(0L, 700L, dtype: ScalarType.Int64); // 2,100 draws: the one-core path

        float[] single = CounterNormal.Sample(stepKey, samples, columns, ScalarType.Float32).data<float>().ToArray();
        double[] twice = CounterNormal.Sample(stepKey, samples, columns, ScalarType.Float64).data<double>().ToArray();

        Assert.Equal(twice.Select(d => (float)d).ToArray(), single);
    }

    [Fact]
    public void Sample_LargeRequestSplitAcrossCores_EqualsRowByRowDraws()
    {
        using var scope = NewDisposeScope();
        ulong stepKey = CounterNormal.StepKey(5, 1);
        var columns = arange(0L, 512L, dtype: ScalarType.Int64);
        var samples = arange(1000L, 1600L, dtype: ScalarType.Int64); // 307,200 draws: the parallel path

        var draws = CounterNormal.Sample(stepKey, samples, columns, ScalarType.Float64);

        Assert.Equal([600L, 512L], draws.shape);
        foreach (long r in new long[] { 0, 1, 299, 599 })
        {
            double[] row = Row(draws, r);
            Assert.Equal(Enumerable.Range(0, 512).Select(c => Reference(stepKey, 1000 + r, c)).ToArray(), row);
        }
    }

    [Fact]
    public void Sample_IntegerDtype_Throws()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => CounterNormal.Sample(1, tensor(new long[] { 1 }), tensor(new long[] { 1 }), ScalarType.Int32));
    }

    [Fact]
    public void Sample_Keys_EqualsScalarBoxMullerReference()
    {
        using var scope = NewDisposeScope();
        ulong stepKey = CounterNormal.StepKey(7, 123);
        long[] samples = [0, 5, 1_000_003];
        long[] columns = [0, 2, 99, -1];

        double[] actual = CounterNormal.Sample(stepKey, tensor(samples), tensor(columns), ScalarType.Float64).data<double>().ToArray();

        Assert.Equal(samples.Length * columns.Length, actual.Length);
        for (int r = 0; r < samples.Length; r++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                Assert.Equal(Reference(stepKey, samples[r], columns[c]), actual[(r * columns.Length) + c]);
            }
        }
    }

    [Fact]
    public void StepKey_Definition_MixOfMixedSeedXorStep()
    {
        Assert.Equal(CounterNormal.Mix(CounterNormal.Mix(42) ^ 17UL), CounterNormal.StepKey(42, 17));
        Assert.NotEqual(CounterNormal.StepKey(42, 17), CounterNormal.StepKey(42, 18));
        Assert.NotEqual(CounterNormal.StepKey(42, 17), CounterNormal.StepKey(43, 17));
    }

    [Fact]
    public void Sample_RowsInDifferentBatchOrder_SameValuePerSample()
    {
        using var scope = NewDisposeScope();
        ulong key = CounterNormal.StepKey(11, 3);
        var columns = arange(0L, 6L, dtype: ScalarType.Int64);

        var a = CounterNormal.Sample(key, tensor(new long[] { 3, 7 }), columns, ScalarType.Float64);
        var b = CounterNormal.Sample(key, tensor(new long[] { 7, 3, 9 }), columns, ScalarType.Float64);

        Assert.Equal(Row(a, 0), Row(b, 1)); // sample 3
        Assert.Equal(Row(a, 1), Row(b, 0)); // sample 7
        Assert.NotEqual(Row(a, 0), Row(a, 1));
    }

    [Fact]
    public void Sample_ColumnsSplitIntoShards_ConcatenationEqualsSingleShard()
    {
        using var scope = NewDisposeScope();
        ulong key = CounterNormal.StepKey(11, 3);
        var samples = tensor(new long[] { 4, 8, 15, 16 });

        var whole = CounterNormal.Sample(key, samples, arange(0L, 7L, dtype: ScalarType.Int64), ScalarType.Float64);
        var left = CounterNormal.Sample(key, samples, arange(0L, 3L, dtype: ScalarType.Int64), ScalarType.Float64);
        var right = CounterNormal.Sample(key, samples, arange(3L, 7L, dtype: ScalarType.Int64), ScalarType.Float64);

        Assert.Equal(whole.data<double>().ToArray(), cat([left, right], 1).contiguous().data<double>().ToArray());
    }

    [Fact]
    public void Sample_DifferentStepOrSeed_DifferentValues()
    {
        using var scope = NewDisposeScope();
        var samples = arange(0L, 20L, dtype: ScalarType.Int64);
        var columns = arange(0L, 10L, dtype: ScalarType.Int64);

        double[] baseline = CounterNormal.Sample(CounterNormal.StepKey(5, 100), samples, columns, ScalarType.Float64).data<double>().ToArray();
        double[] nextStep = CounterNormal.Sample(CounterNormal.StepKey(5, 101), samples, columns, ScalarType.Float64).data<double>().ToArray();
        double[] otherSeed = CounterNormal.Sample(CounterNormal.StepKey(6, 100), samples, columns, ScalarType.Float64).data<double>().ToArray();

        Assert.All(Enumerable.Range(0, baseline.Length), i => Assert.NotEqual(baseline[i], nextStep[i]));
        Assert.All(Enumerable.Range(0, baseline.Length), i => Assert.NotEqual(baseline[i], otherSeed[i]));
        // neighbouring samples and columns are not copies of each other either
        Assert.Equal(baseline.Length, baseline.Distinct().Count());
    }

    [Fact]
    public void Sample_200kDraws_StandardNormalMoments()
    {
        using var scope = NewDisposeScope();
        var draws = CounterNormal.Sample(
            CounterNormal.StepKey(2020, 0),
            arange(0L, 1000L, dtype: ScalarType.Int64),
            arange(0L, 200L, dtype: ScalarType.Int64),
            ScalarType.Float64).data<double>().ToArray();

        Assert.Equal(200_000, draws.Length);
        double mean = draws.Average();
        double variance = draws.Select(x => (x - mean) * (x - mean)).Average();
        double withinOne = draws.Count(x => Math.Abs(x) < 1) / (double)draws.Length;
        double withinTwo = draws.Count(x => Math.Abs(x) < 2) / (double)draws.Length;
        double positive = draws.Count(x => x > 0) / (double)draws.Length;

        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
        Assert.InRange(withinOne, 0.6827 - 0.01, 0.6827 + 0.01);
        Assert.InRange(withinTwo, 0.9545 - 0.005, 0.9545 + 0.005);
        Assert.InRange(positive, 0.49, 0.51);
        Assert.All(draws, x => Assert.True(double.IsFinite(x)));
    }

    private static double[] Row(Tensor t, long row) => t[row].contiguous().data<double>().ToArray();

    /// <summary>The documented scheme, recomputed with scalar ulong arithmetic.</summary>
    private static double Reference(ulong stepKey, long sample, long column)
    {
        ulong rowKey = CounterNormal.Mix(unchecked((ulong)sample + stepKey));
        ulong key = CounterNormal.Mix(rowKey ^ CounterNormal.Mix(unchecked((ulong)column)));
        double u1 = Uniform(CounterNormal.Mix(unchecked(key + 1)));
        double u2 = Uniform(CounterNormal.Mix(unchecked(key + 2)));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Uniform(ulong bits) => ((bits >> 11) + 0.5) / 9007199254740992.0;
}
