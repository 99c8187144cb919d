using Leap.Core.Augmentation;
using Leap.Core.Statistics;
using static TorchSharp.torch;

namespace Leap.Core.Tests.Augmentation;

public class FeatureCloudTests
{
    private const ulong Seed = 99;

    [Fact]
    public void Alpha_VariantNone_NullEvenWhenScheduleActive()
    {
        using var scope = NewDisposeScope();
        using var tracker = MakeTracker(LeapVariant.None);
        var cloud = new FeatureCloud(tracker, new AlphaSampler(Seed, AlphaMode.PerColumn), new CloudSchedule());

        Assert.Null(Alpha(cloud, step: 1000, epoch: 50));
    }

    [Theory]
    [InlineData(1, 200L)]
    [InlineData(2, 99L)]
    [InlineData(0, 0L)]
    public void Alpha_BeforeScheduleStart_Null(int epoch, long step)
    {
        using var scope = NewDisposeScope();
        using var tracker = MakeTracker(LeapVariant.Full);
        var cloud = new FeatureCloud(tracker, new AlphaSampler(Seed, AlphaMode.PerColumn), new CloudSchedule(StartEpoch: 2, StartIteration: 100));

        Assert.Null(Alpha(cloud, step, epoch));
    }

    [Theory]
    [InlineData(2, 100L)]
    [InlineData(5, 1000L)]
    public void Alpha_AtOrAfterScheduleStart_SampledFromTrackerStd(int epoch, long step)
    {
        using var scope = NewDisposeScope();
        using var tracker = MakeTracker(LeapVariant.Full);
        var cloud = new FeatureCloud(tracker, new AlphaSampler(Seed, AlphaMode.PerColumn), new CloudSchedule(StartEpoch: 2, StartIteration: 100));

        var alpha = Alpha(cloud, step, epoch);

        Assert.NotNull(alpha);
        Assert.Equal([2L, 3L], alpha.shape);
        Assert.Equal(ScalarType.Float64, alpha.dtype);
        double[] draws = CounterNormal.Sample(CounterNormal.StepKey(Seed, step), tensor(new long[] { 5, 6 }), tensor(new long[] { 0, 1, 2 }), ScalarType.Float64)
            .data<double>().ToArray();
        // variances 0.01 (class 0) and 0.04 (class 1), weights 2 and 2 -> sigma^2 0.025; only class 0 has a cloud
        double std0 = Math.Sqrt(0.025 - 0.01);
        double[] values = alpha.data<double>().ToArray();
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(draws[j] * std0, values[j], 1e-12);
            Assert.Equal(0.0, values[3 + j]);
        }
    }

    [Fact]
    public void IsActive_Boundaries_RequiresBothEpochAndIteration()
    {
        var schedule = new CloudSchedule(StartEpoch: 3, StartIteration: 10);

        Assert.False(schedule.IsActive(2, 10));
        Assert.False(schedule.IsActive(3, 9));
        Assert.True(schedule.IsActive(3, 10));
        Assert.True(schedule.IsActive(4, 11));
    }

    private static Tensor? Alpha(FeatureCloud cloud, long step, int epoch) =>
        cloud.Alpha(tensor(new long[] { 0, 1 }), tensor(new long[] { 5, 6 }), tensor(new long[] { 0, 1, 2 }), step, epoch, ScalarType.Float64, CPU);

    /// <summary>Two classes with K = 3 whose memories are restored to variances 0.01 and 0.04.</summary>
    private static CentreTracker MakeTracker(LeapVariant variant)
    {
        var tracker = new CentreTracker(new CentreTrackerSettings(variant, HeadThreshold: 0), [3, 3], dimension: 2);
        tracker.Memory.Restore(0, [0.1, 0.3]);
        tracker.Memory.Restore(1, [0.2, 0.6]);
        tracker.RecomputeStatistics();
        return tracker;
    }
}
