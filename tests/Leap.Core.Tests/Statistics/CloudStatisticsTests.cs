using Leap.Core.Statistics;

namespace Leap.Core.Tests.Statistics;

public class CloudStatisticsTests
{
    private const double Tolerance = 1e-12;

    // T = 10. Heads (K_i > 10): classes 0, 1, 4. Class 5 has K_i == T, so it is a tail class.
    private static readonly int[] Samples = [20, 30, 5, 8, 12, 10];
    private static readonly double[] Variances = [0.04, 0.06, 0.03, 0.07, 0.02, 0.01];

    [Fact]
    public void OverallVariance_Vanilla_MeanOfHeadClassVariances()
    {
        var stats = new CloudStatistics(LeapVariant.Vanilla, 10, Samples, Variances);

        // (0.04 + 0.06 + 0.02) / 3
        Assert.Equal(0.04, stats.OverallVariance, Tolerance);
        Assert.True(stats.IsHead(0));
        Assert.True(stats.IsHead(4));
        Assert.False(stats.IsHead(5));
    }

    [Fact]
    public void CloudClasses_Vanilla_OnlyTailClassesBelowOverall()
    {
        var stats = new CloudStatistics(LeapVariant.Vanilla, 10, Samples, Variances);

        bool[] expected = [false, false, true, false, false, true];
        Assert.Equal(expected, Enumerable.Range(0, 6).Select(stats.IsCloudClass).ToArray());
        Assert.Equal(2, stats.CloudClassCount());
        // head class 4 has 0.02 < 0.04 but never gets a cloud in the vanilla variant
        Assert.False(stats.IsCloudClass(4));
        Assert.Equal(0.0, stats.AlphaStd(4));
    }

    [Fact]
    public void AlphaStd_Vanilla_SqrtOfOverallMinusClassVariance()
    {
        var stats = new CloudStatistics(LeapVariant.Vanilla, 10, Samples, Variances);

        Assert.Equal(0.1, stats.AlphaStd(2), Tolerance); // sqrt(0.04 - 0.03)
        Assert.Equal(Math.Sqrt(0.03), stats.AlphaStd(5), Tolerance); // sqrt(0.04 - 0.01)
        Assert.Equal(0.0, stats.AlphaStd(0));
        Assert.Equal(0.0, stats.AlphaStd(1));
        Assert.Equal(0.0, stats.AlphaStd(3));
    }

    [Fact]
    public void OverallVariance_Full_KMinusOneWeightedMean()
    {
        var stats = new CloudStatistics(LeapVariant.Full, 10, Samples, Variances);

        // weights 19, 29, 4, 7, 11, 9 (sum 79); weighted sum 0.76 + 1.74 + 0.12 + 0.49 + 0.22 + 0.09 = 3.42
        Assert.Equal(3.42 / 79, stats.OverallVariance, Tolerance);
    }

    [Fact]
    public void CloudClasses_Full_AnyClassBelowOverallIncludingHeads()
    {
        var stats = new CloudStatistics(LeapVariant.Full, 10, Samples, Variances);

        // sigma^2 = 0.0432911...
        bool[] expected = [true, false, true, false, true, true];
        Assert.Equal(expected, Enumerable.Range(0, 6).Select(stats.IsCloudClass).ToArray());
        Assert.Equal(4, stats.CloudClassCount());
        Assert.Equal(Math.Sqrt((3.42 / 79) - 0.04), stats.AlphaStd(0), Tolerance);
        Assert.Equal(Math.Sqrt((3.42 / 79) - 0.02), stats.AlphaStd(4), Tolerance);
        Assert.Equal(Math.Sqrt((3.42 / 79) - 0.01), stats.AlphaStd(5), Tolerance);
        Assert.Equal(0.0, stats.AlphaStd(1));
        Assert.Equal(0.0, stats.AlphaStd(3));
    }

    [Fact]
    public void CloudClasses_VanillaAllHead_NoCloud()
    {
        var stats = new CloudStatistics(LeapVariant.Vanilla, 10, [20, 30], [0.01, 0.05]);

        Assert.Equal(0.03, stats.OverallVariance, Tolerance);
        Assert.Equal(0, stats.CloudClassCount());
        Assert.Equal(0.0, stats.AlphaStd(0));
    }

    [Fact]
    public void OverallVariance_VanillaAllTail_NaNAndNoCloud()
    {
        var stats = new CloudStatistics(LeapVariant.Vanilla, 10, [2, 3], [0.01, 0.05]);

        Assert.True(double.IsNaN(stats.OverallVariance));
        Assert.Equal(0, stats.CloudClassCount());
        Assert.Equal(0.0, stats.AlphaStd(0));
        Assert.Equal(0.0, stats.AlphaStd(1));
    }

    [Fact]
    public void OverallVariance_VanillaUnseenHeadClass_ExcludedAndNoCloud()
    {
        var stats = new CloudStatistics(LeapVariant.Vanilla, 10, [20, 30, 5, 6], [0.04, double.NaN, 0.01, double.NaN]);

        Assert.Equal(0.04, stats.OverallVariance, Tolerance);
        Assert.False(stats.IsCloudClass(1));
        Assert.False(stats.IsCloudClass(3));
        Assert.True(stats.IsCloudClass(2));
        Assert.Equal(0.0, stats.AlphaStd(3));
        Assert.Equal(Math.Sqrt(0.03), stats.AlphaStd(2), Tolerance);
    }

    [Fact]
    public void OverallVariance_FullUnseenClass_ExcludedAndNoCloud()
    {
        var stats = new CloudStatistics(LeapVariant.Full, 10, [20, 30, 5], [0.04, double.NaN, 0.01]);

        // (19 * 0.04 + 4 * 0.01) / (19 + 4) = 0.8 / 23
        Assert.Equal(0.8 / 23, stats.OverallVariance, Tolerance);
        Assert.False(stats.IsCloudClass(1));
        Assert.Equal(0.0, stats.AlphaStd(1));
        Assert.True(stats.IsCloudClass(2));
        Assert.False(stats.IsCloudClass(0));
    }

    [Fact]
    public void OverallVariance_FullSingleSampleClass_WeightZero()
    {
        // weights 0, 2, 4, 0 -> (2 * 0.02 + 4 * 0.04) / 6 = 0.2 / 6; class 0's large 0.5 must not count
        var stats = new CloudStatistics(LeapVariant.Full, 10, [1, 3, 5, 1], [0.5, 0.02, 0.04, 0.0]);

        Assert.Equal(0.2 / 6, stats.OverallVariance, Tolerance);
        bool[] expected = [false, true, false, true];
        Assert.Equal(expected, Enumerable.Range(0, 4).Select(stats.IsCloudClass).ToArray());
        Assert.Equal(Math.Sqrt(0.2 / 6), stats.AlphaStd(3), Tolerance);
    }

    [Fact]
    public void OverallVariance_FullOnlySingleSampleClasses_NaNAndNoCloud()
    {
        var stats = new CloudStatistics(LeapVariant.Full, 0, [1, 1], [0.0, 0.3]);

        Assert.True(double.IsNaN(stats.OverallVariance));
        Assert.Equal(0, stats.CloudClassCount());
    }

    [Fact]
    public void CloudClasses_VariantNone_NoClouds()
    {
        var stats = new CloudStatistics(LeapVariant.None, 10, Samples, Variances);

        Assert.True(double.IsNaN(stats.OverallVariance));
        Assert.Equal(0, stats.CloudClassCount());
        Assert.All(Enumerable.Range(0, 6), c => Assert.Equal(0.0, stats.AlphaStd(c)));
    }

    [Fact]
    public void Constructor_MismatchedLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CloudStatistics(LeapVariant.Full, 1, [2, 3], [0.1]));
    }

    [Fact]
    public void Constructor_NegativeThreshold_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CloudStatistics(LeapVariant.Full, -1, [2], [0.1]));
    }

    [Fact]
    public void FromMemory_Memory_UsesMemoryVariancesAndSampleCounts()
    {
        var memory = new AngleMemory([4, 3, 2], memoryMultiplier: 1);
        memory.Push([0, 0, 1, 1], [0.2, 0.6, 0.4, 0.6]); // variances 0.04 and 0.01, class 2 unseen

        var stats = CloudStatistics.FromMemory(LeapVariant.Full, 1, memory);

        Assert.Equal(0.04, stats.ClassVariance(0), Tolerance);
        Assert.Equal(0.01, stats.ClassVariance(1), Tolerance);
        Assert.True(double.IsNaN(stats.ClassVariance(2)));
        Assert.Equal(2, stats.SamplesInClass(2));
        // (3 * 0.04 + 2 * 0.01) / 5 = 0.028
        Assert.Equal(0.028, stats.OverallVariance, Tolerance);
        Assert.Equal(Math.Sqrt(0.018), stats.AlphaStd(1), Tolerance);
        Assert.Equal(0.0, stats.AlphaStd(2));
    }
}
